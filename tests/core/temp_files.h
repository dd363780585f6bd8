/* Temporary files for the suites that read files: in the build tree
 * (DF_BINARY_DIR), named by a tag and the process, so that suites run in
 * parallel never share one; each test removes what it writes. */
#ifndef DF_TEST_TEMP_FILES_H
#define DF_TEST_TEMP_FILES_H

#include <stddef.h>

/* The path of temp file `tag` in buf; returns buf. */
char *temp_path(char *buf, size_t size, const char *tag);
/* Write data[0..len) to path, failing the test on any error. */
void write_file(const char *path, const char *data, size_t len);

#endif
