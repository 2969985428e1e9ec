/* SPDX-License-Identifier: MIT */
/* A shared object that exports no whk_descriptor symbol. */
__attribute__((visibility("default"))) int no_descriptor_value = 42;
