@echo off
rem Build the site from the content folder into the public folder beside
rem this file. The window stays open for the messages of the check: a
rem failed build names the file and line to correct, and leaves the
rem previous public folder as it was. The commands stay ASCII: cmd reads
rem a batch file in the system's code page.
cd /d "%~dp0"
rem Double-clicked inside the zip, Windows unpacks this file alone.
if exist evalpress.exe goto run
echo evalpress.exe is not in this folder.
echo Unpack the whole zip first: right-click it, Extract All. Then double-click this file in the unpacked folder.
pause
exit /b 1
:run
evalpress.exe build -content content -out public
pause
