/* SPDX-License-Identifier: MIT */
/* Opens every plugin given on the command line with dlopen(RTLD_NOW), so
 * an unresolved symbol fails here rather than at a user's first call. */
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    int passed = 0, failures = 0;

    for (int i = 1; i < argc; i++) {
        void *handle = dlopen(argv[i], RTLD_NOW | RTLD_LOCAL);

        if (handle == NULL) {
            printf("FAIL: %s\n", dlerror());
            failures++;
            continue;
        }
        printf("ok: %s\n", argv[i]);
        passed++;
        dlclose(handle);
    }
    if (argc < 2) {
        puts("FAIL: no plugins given");
        failures++;
    }
    printf("%d passed, %d failed\n", passed, failures);
    return failures != 0;
}
