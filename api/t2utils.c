/*
 * t2utils.c - T2's helpers for plugins (see t2utils.h).
 */
#define _POSIX_C_SOURCE 200809L    /* getline, strdup */

#include "t2utils.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>

void *t2_malloc_fatal(size_t size)
{
    void *p = malloc(size);
    if (UNLIKELY(!p)) T2_PFATAL("t2_malloc_fatal", "Failed to allocate memory");
    return p;
}

void *t2_calloc_fatal(size_t nmemb, size_t size)
{
    void *p = calloc(nmemb, size);
    if (UNLIKELY(!p)) T2_PFATAL("t2_calloc_fatal", "Failed to allocate memory");
    return p;
}

char *t2_strdup_printf(const char *format, ...)
{
    va_list args, again;
    va_start(args, format);
    va_copy(again, args);
    const int len = vsnprintf(NULL, 0, format, args);
    va_end(args);
    char *s = len < 0 ? NULL : malloc((size_t)len + 1);
    if (UNLIKELY(!s)) T2_PFATAL("t2_strdup_printf", "Failed to allocate memory");
    vsnprintf(s, (size_t)len + 1, format, again);
    va_end(again);
    return s;
}

size_t t2_strncpy(char *dest, const char *src, size_t src_size, size_t dest_size, t2_strcpy_t behavior)
{
    size_t len = 0;
    while (len < src_size && src[len]) len++;
    if (LIKELY(len < dest_size)) {
        memcpy(dest, src, len);
        dest[len] = '\0';
        return len;
    }
    /* too long for dest */
    if (behavior == T2_STRCPY_EXIT) {
        T2_PFATAL("t2_strncpy", "Failed to copy '%s': destination buffer too short", src);
    }
    if (dest_size == 0) return 0;
    len = dest_size - 1;
    if (behavior == T2_STRCPY_EMPTY) {
        len = 0;
    } else if (behavior == T2_STRCPY_ELLIPSIS && len >= 3) {
        memcpy(dest, src, len - 3);
        memcpy(dest + len - 3, "...", 3);
    } else {
        memcpy(dest, src, len);
    }
    dest[len] = '\0';
    return len;
}

size_t t2_strcpy(char *dest, const char *src, size_t dest_size, t2_strcpy_t behavior)
{
    return t2_strncpy(dest, src, SIZE_MAX, dest_size, behavior);
}

FILE *t2_fopen(const char *filename, const char *mode)
{
    FILE *f = fopen(filename, mode);
    if (UNLIKELY(!f)) T2_ERR("Failed to open file '%s': %s", filename, strerror(errno));
    return f;
}

/* dir and file joined by one slash */
FILE *t2_fopen_in_dir(const char *dir, const char *file, const char *mode)
{
    if (!dir || !*dir) return t2_fopen(file, mode);
    const size_t n = strlen(dir);
    const int dir_ends = dir[n - 1] == '/', file_starts = file[0] == '/';
    char *path = t2_strdup_printf("%.*s%s%s", (int)(n - (dir_ends && file_starts)), dir,
                                  dir_ends || file_starts ? "" : "/", file);
    FILE *f = t2_fopen(path, mode);
    free(path);
    return f;
}

FILE *t2_fopen_with_suffix(const char *prefix, const char *suffix, const char *mode)
{
    char *path = t2_strdup_printf("%s%s", prefix, suffix);
    FILE *f = t2_fopen(path, mode);
    free(path);
    return f;
}

/* ---------------------------------------------------------- addresses */

void t2_ipv4_to_str(struct in_addr ip, char *dest, size_t dsize)
{
    if (!inet_ntop(AF_INET, &ip, dest, (socklen_t)dsize) && dsize) *dest = '\0';
}

void t2_ipv6_to_str(struct in6_addr ip, char *dest, size_t dsize)
{
    if (!inet_ntop(AF_INET6, &ip, dest, (socklen_t)dsize) && dsize) *dest = '\0';
}

int t2_mac_to_str(const uint8_t mac[ETH_ALEN], char *dest, size_t dsize)
{
    return snprintf(dest, dsize, "%02" B2T_PRIX8 "%s%02" B2T_PRIX8 "%s%02" B2T_PRIX8 "%s%02" B2T_PRIX8
                    "%s%02" B2T_PRIX8 "%s%02" B2T_PRIX8, mac[0], MAC_SEP, mac[1], MAC_SEP, mac[2],
                    MAC_SEP, mac[3], MAC_SEP, mac[4], MAC_SEP, mac[5]);
}

/* ------------------------------------------- settings from the header */

/* T2's lines around a plugin's run-time settings in its header */
static const char env_begin[] = "/* +++++++++++++++++++++ ENV / RUNTIME - conf Variables +";
static const char env_end[] = "/* ------------------------- DO NOT EDIT BELOW HERE -";

static int has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The plugin's name in T2's messages: the folder in .../plugins/NAME/src/,
 * else the path. */
static char *plugin_of_header(const char *path)
{
    const char *start = strstr(path, "/plugins/");
    start = start ? start + strlen("/plugins/") : path;
    const char *end = strstr(start, "/src/");
    return t2_strdup_printf("%.*s", end ? (int)(end - start) : (int)strlen(start), start);
}

/* "#define KEY VALUE ...": key and value (a "quoted string" without its
 * quotes, else the word up to a blank or a comment), both malloc'd;
 * 0 if the line defines nothing. */
static int parse_define(const char *line, char **key, char **val)
{
    const char *s = line + strlen("#define");
    while (*s == ' ' || *s == '\t') s++;
    const size_t key_len = strcspn(s, " \t\r\n");
    if (key_len == 0) return 0;
    const char *v = s + key_len;
    while (*v == ' ' || *v == '\t') v++;
    size_t val_len;
    if (*v == '"') {
        v++;
        val_len = strcspn(v, "\"\r\n");
    } else {
        val_len = strcspn(v, " \t\r\n/");
    }
    *key = t2_strdup_printf("%.*s", (int)key_len, s);
    *val = t2_strdup_printf("%.*s", (int)val_len, v);
    return 1;
}

void t2_get_env(const char *hname, int num_env, t2_env_t env[])
{
    FILE *f = t2_fopen(hname, "r");
    if (UNLIKELY(!f)) exit(EXIT_FAILURE);
    char *line = NULL;
    size_t size = 0;
    int found = 0, inside = 0;
    while (found < num_env && getline(&line, &size, f) != -1) {
        if (has_prefix(line, env_begin)) {
            inside = 1;
        } else if (has_prefix(line, env_end)) {
            break;
        } else if (inside && has_prefix(line, "#define") &&
                   parse_define(line, &env[found].key, &env[found].val)) {
            env[found].stolen = false;
            found++;
        }
    }
    free(line);
    fclose(f);
    if (found != num_env) {
        char *plugin = plugin_of_header(hname);
        T2_PERR(plugin, "Number of 'env' parameters differ: found %d, expected %d", found, num_env);
        free(plugin);
        exit(EXIT_FAILURE);
    }
#if ENVCNTRL == 2
    for (int i = 0; i < num_env; i++) {
        const char *from_env = getenv(env[i].key);
        if (!from_env) continue;
        free(env[i].val);
        env[i].val = t2_strdup_printf("%s", from_env);
    }
#endif
}

void t2_free_env(int num_env, t2_env_t env[])
{
    for (int i = 0; i < num_env; i++) {
        free(env[i].key);
        if (!env[i].stolen) free(env[i].val);
    }
}
