/* SPDX-License-Identifier: MIT */
/* Lists the dynamic symbols a shared object exports, from its ELF file. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plugin_check.h"

/* The mapped file; every read is bounds-checked against size. */
struct elf_file {
    const unsigned char *data;
    size_t size;
    const char *path;
};

/*
 * Copies len bytes at offset into out, returning 0 when they lie outside
 * the file. Copying avoids misaligned reads from a malformed file.
 */
static int read_at(const struct elf_file *f, uint64_t offset, void *out,
                   size_t len)
{
    if (offset > f->size || len > f->size - offset)
        return 0;
    memcpy(out, f->data + offset, len);
    return 1;
}

static int read_section(const struct elf_file *f, const ElfW(Ehdr) * eh,
                        size_t index, ElfW(Shdr) * sh)
{
    if (index >= eh->e_shnum || eh->e_shentsize != sizeof(*sh))
        return 0;
    return read_at(f, eh->e_shoff + (uint64_t)index * sizeof(*sh), sh,
                   sizeof(*sh));
}

static enum whk_status check_header(const struct elf_file *f, ElfW(Ehdr) * eh,
                                    struct whk_error *err)
{
    if (!read_at(f, 0, eh, sizeof(*eh)) ||
        memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
        return whk_error_set(err, WHK_ERR_INVALID, "%s is not an ELF file",
                             f->path);
    if (eh->e_ident[EI_CLASS] !=
            (__ELF_NATIVE_CLASS == 64 ? ELFCLASS64 : ELFCLASS32) ||
        eh->e_type != ET_DYN)
        return whk_error_set(err, WHK_ERR_INVALID,
                             "%s is not a shared object for this machine's "
                             "ELF class",
                             f->path);
    return WHK_OK;
}

/* Returns 1 when sym is a symbol the object exports to other objects. */
static int is_export(const ElfW(Sym) * sym)
{
    /* The ELF32_ and ELF64_ forms of these macros are identical. */
    unsigned bind = ELF64_ST_BIND(sym->st_info);
    unsigned type = ELF64_ST_TYPE(sym->st_info);
    unsigned visibility = ELF64_ST_VISIBILITY(sym->st_other);

    if (sym->st_shndx == SHN_UNDEF || type == STT_SECTION || type == STT_FILE)
        return 0;
    if (bind != STB_GLOBAL && bind != STB_WEAK && bind != STB_GNU_UNIQUE)
        return 0;
    return visibility == STV_DEFAULT || visibility == STV_PROTECTED;
}

/*
 * Returns 1 for the "__odr_asan.NAME" indicator that AddressSanitizer
 * exports beside each global it instruments: not part of the plugin.
 */
static int is_sanitizer_symbol(const struct elf_file *f,
                               const ElfW(Shdr) * strtab, const ElfW(Sym) * sym)
{
    static const char prefix[] = "__odr_asan";
    char name[sizeof(prefix)];

    return sym->st_name < strtab->sh_size &&
           read_at(f, strtab->sh_offset + sym->st_name, name,
                   sizeof(prefix) - 1) &&
           memcmp(name, prefix, sizeof(prefix) - 1) == 0;
}

static enum whk_status add_name(const struct elf_file *f,
                                const ElfW(Shdr) * strtab, uint32_t offset,
                                char ***names, size_t *count,
                                struct whk_error *err)
{
    const unsigned char *start, *end;
    char **grown;

    if (offset >= strtab->sh_size || strtab->sh_offset > f->size ||
        strtab->sh_size > f->size - strtab->sh_offset)
        return whk_error_set(err, WHK_ERR_INVALID,
                             "%s has a symbol name outside its string table",
                             f->path);
    start = f->data + strtab->sh_offset + offset;
    end = memchr(start, '\0', strtab->sh_size - offset);
    if (end == NULL)
        return whk_error_set(err, WHK_ERR_INVALID,
                             "%s has an unterminated symbol name", f->path);
    grown = realloc(*names, (*count + 1) * sizeof(*grown));
    if (grown == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    *names = grown;
    grown[*count] = strndup((const char *)start, (size_t)(end - start));
    if (grown[*count] == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    (*count)++;
    return WHK_OK;
}

static enum whk_status list_dynsym(const struct elf_file *f,
                                   const ElfW(Ehdr) * eh,
                                   const ElfW(Shdr) * dynsym, char ***names,
                                   size_t *count, struct whk_error *err)
{
    ElfW(Shdr) strtab;
    size_t symbols;

    if (dynsym->sh_entsize != sizeof(ElfW(Sym)) ||
        !read_section(f, eh, dynsym->sh_link, &strtab) ||
        strtab.sh_type != SHT_STRTAB)
        return whk_error_set(err, WHK_ERR_INVALID,
                             "%s has a malformed dynamic symbol table",
                             f->path);
    symbols = dynsym->sh_size / sizeof(ElfW(Sym));
    for (size_t i = 1; i < symbols; i++) {
        ElfW(Sym) sym;

        if (!read_at(f, dynsym->sh_offset + i * sizeof(sym), &sym, sizeof(sym)))
            return whk_error_set(err, WHK_ERR_INVALID,
                                 "%s has a truncated dynamic symbol table",
                                 f->path);
        if (is_export(&sym) && !is_sanitizer_symbol(f, &strtab, &sym) &&
            add_name(f, &strtab, sym.st_name, names, count, err) != WHK_OK)
            return err ? err->status : WHK_ERR_INVALID;
    }
    return WHK_OK;
}

static enum whk_status scan(const struct elf_file *f, char ***names,
                            size_t *count, struct whk_error *err)
{
    ElfW(Ehdr) eh;
    enum whk_status status = check_header(f, &eh, err);

    if (status != WHK_OK)
        return status;
    for (size_t i = 0; i < eh.e_shnum; i++) {
        ElfW(Shdr) sh;

        if (!read_section(f, &eh, i, &sh))
            return whk_error_set(err, WHK_ERR_INVALID,
                                 "%s has a truncated section header table",
                                 f->path);
        if (sh.sh_type == SHT_DYNSYM)
            return list_dynsym(f, &eh, &sh, names, count, err);
    }
    return whk_error_set(err, WHK_ERR_INVALID,
                         "%s has no dynamic symbol table section", f->path);
}

enum whk_status whkp_elf_exports(const char *path, char ***names, size_t *count,
                                 struct whk_error *err)
{
    struct elf_file f = {NULL, 0, path};
    struct stat st;
    void *map = MAP_FAILED;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    enum whk_status status;

    *names = NULL;
    *count = 0;
    if (fd < 0)
        return whk_error_set(err, WHK_ERR_IO, "cannot open %s: %s", path,
                             strerror(errno));
    if (fstat(fd, &st) != 0 || st.st_size <= 0) {
        close(fd);
        return whk_error_set(err, WHK_ERR_INVALID, "%s is empty", path);
    }
    map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return whk_error_set(err, WHK_ERR_IO, "cannot read %s: %s", path,
                             strerror(errno));
    f.data = map;
    f.size = (size_t)st.st_size;
    status = scan(&f, names, count, err);
    munmap(map, f.size);
    if (status != WHK_OK) {
        whkp_free_names(*names, *count);
        *names = NULL;
        *count = 0;
    }
    return status;
}

void whkp_free_names(char **names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
}
