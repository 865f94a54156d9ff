package importer

// The readers of this part register themselves with Import (see Readers):
// workbooks, CSV results notices and Word documents.
func init() {
	Readers[".xlsx"] = ReadXLSX
	Readers[".csv"] = ReadCSV
	Readers[".docx"] = ReadDOCX
}
