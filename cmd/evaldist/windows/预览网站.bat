@echo off
rem Preview the example site: evalpress builds it in memory, opens it in
rem the default browser and rebuilds on every saved change under content.
rem Closing this window stops the preview. The commands stay ASCII: cmd
rem reads a batch file in the system's code page, and evalpress prints its
rem own Chinese messages correctly in any code page.
cd /d "%~dp0"
rem Double-clicked inside the zip, Windows unpacks this file alone.
if exist evalpress.exe goto run
echo evalpress.exe is not in this folder.
echo Unpack the whole zip first: right-click it, Extract All. Then double-click this file in the unpacked folder.
pause
exit /b 1
:run
evalpress.exe serve -content content -open
rem Keep the window open when the preview could not start (a port in use,
rem an error in content), so the message can be read.
if errorlevel 1 pause
