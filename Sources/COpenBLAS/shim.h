#ifndef SETLIST_COPENBLAS_SHIM_H
#define SETLIST_COPENBLAS_SHIM_H
#include <cblas.h>
// Declared by OpenBLAS; not every cblas.h version exposes them.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char* openblas_get_corename(void);
#endif
