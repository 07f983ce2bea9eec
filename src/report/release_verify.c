/* `reckon release verify`: checks a release bundle (docs/release.md) and names the first file
 * that differs: the signature file against its own check line, the manifest against the digest
 * the signature file holds, every listed file against its digest, every file present against
 * the list, then the Ed25519 signature of the manifest. Also the digests and the signature text
 * the writer (release.c) uses, and the removal of a directory tree. */
#include "report_private.h"
#include "crypt/crypt_internal.h"
#include "release_private.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

int report_release_file_sha256(char hex[65], rk_ctx *ctx, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return rk_error_set(ctx, RK_EINPUT, "%s: cannot read: %s", path, strerror(errno));
    rk_sha256 h;
    if (rk_sha256_init(&h) != RK_OK) {
        close(fd);
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    }
    char buf[65536];
    ssize_t n;
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        rk_sha256_update(&h, buf, (size_t)n);
    int err = errno;
    close(fd);
    rk_sha256_final_hex(&h, hex);
    if (n < 0)
        return rk_error_set(ctx, RK_EINPUT, "%s: cannot read: %s", path, strerror(err));
    return RK_OK;
}

static void sha256_hex(char hex[65], const void *data, size_t n)
{
    rk_sha256 h;
    if (rk_sha256_init(&h) != RK_OK) {
        hex[0] = '\0';
        return;
    }
    rk_sha256_update(&h, data, n);
    rk_sha256_final_hex(&h, hex);
}

int report_release_sig_text(rk_buf *out, rk_ctx *ctx, const unsigned char *secret,
                            const void *manifest, size_t n)
{
    char sig[2 * RK_CRYPT__SIGNATURE_BYTES + 1], digest[65], check[65];
    rk_crypt__sign_hex(sig, secret, manifest, n);
    sha256_hex(digest, manifest, n);
    int rc = rk_buf_printf(out, "ed25519 %s\nmanifest-sha256 %s\n", sig, digest);
    if (rc == RK_OK) {
        sha256_hex(check, out->data, out->len);
        rc = rk_buf_printf(out, "check %s\n", check);
    }
    return rc == RK_OK ? RK_OK : rk_error_set(ctx, RK_ENOMEM, "out of memory");
}

void report_release_remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char path[RELEASE_PATH_MAX];
            if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= sizeof(path))
                continue;
            struct stat sb;
            if (lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
                report_release_remove_tree(path);
            else
                unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* Reads a whole small file into b (at most max bytes). */
static int slurp(rk_buf *b, rk_ctx *ctx, const char *path, size_t max)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return rk_error_set(ctx, RK_EINPUT, "%s: cannot read: %s", path, strerror(errno));
    char buf[65536];
    ssize_t n;
    int rc = RK_OK;
    while (rc == RK_OK && (n = read(fd, buf, sizeof(buf))) > 0) {
        if (b->len + (size_t)n > max)
            rc = rk_error_set(ctx, RK_EINPUT, "%s: too large for a release's file", path);
        else if (rk_buf_append(b, buf, (size_t)n) != RK_OK)
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
    }
    if (rc == RK_OK && n < 0)
        rc = rk_error_set(ctx, RK_EINPUT, "%s: cannot read: %s", path, strerror(errno));
    close(fd);
    rk_buf_cstr(b);
    return rc;
}

/* Sets out->bad to name and the error; returns RK_EINPUT. */
static int differs(rk_release_check *out, rk_ctx *ctx, const char *dir, const char *name,
                   const char *why)
{
    snprintf(out->bad, sizeof(out->bad), "%s", name);
    return rk_error_set(ctx, RK_EINPUT, "%s/%s: %s", dir, name, why);
}

/* The value after `tag ` on a line of exactly `digits` hex digits, copied into out. */
static bool sig_line(char *out, const char **p, const char *tag, size_t digits)
{
    size_t t = strlen(tag);
    if (strncmp(*p, tag, t) != 0 || (*p)[t] != ' ')
        return false;
    const char *v = *p + t + 1;
    size_t n = strspn(v, "0123456789abcdef");
    if (n != digits || v[n] != '\n')
        return false;
    memcpy(out, v, n);
    out[n] = '\0';
    *p = v + n + 1;
    return true;
}

/* Whether name is a safe relative path a manifest may list. */
static bool safe_name(const char *name, size_t n)
{
    if (!n || name[0] == '/' || n >= 256)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)name[i] < 0x20 || name[i] == '\\')
            return false;
    for (size_t i = 0; i + 1 < n; i++)
        if (name[i] == '.' && name[i + 1] == '.')
            return false;
    return true;
}

/* The files of the manifest: names pointing into its text (each NUL-terminated in place). */
typedef struct entry {
    const char *name, *digest;
} entry;
typedef struct listing {
    entry *e;
    size_t n, cap;
} listing;

static int parse_manifest(listing *l, rk_ctx *ctx, char *text)
{
    char *p = text;
    while (*p) {
        char *end = strchr(p, '\n');
        if (!end)
            return RK_EINPUT;
        *end = '\0';
        if (strlen(p) < 67 || strspn(p, "0123456789abcdef") != 64 || p[64] != ' ' || p[65] != ' ' ||
            !safe_name(p + 66, strlen(p + 66)))
            return RK_EINPUT;
        if (rk_grow((void **)&l->e, &l->cap, l->n + 1, sizeof(entry)) != RK_OK)
            return rk_error_set(ctx, RK_ENOMEM, "out of memory");
        p[64] = '\0';
        l->e[l->n++] = (entry){.name = p + 66, .digest = p};
        p = end + 1;
    }
    return RK_OK;
}

/* The first file under dir (relative name `rel`) that the manifest does not list. */
static bool find_unlisted(char *out, size_t outsz, const char *dir, const char *rel,
                          const listing *l, int depth)
{
    char path[RELEASE_PATH_MAX];
    snprintf(path, sizeof(path), "%s%s%s", dir, *rel ? "/" : "", rel);
    DIR *d = opendir(path);
    if (!d)
        return false;
    bool found = false;
    struct dirent *e;
    while (!found && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char name[RELEASE_PATH_MAX];
        snprintf(name, sizeof(name), "%s%s%s", rel, *rel ? "/" : "", e->d_name);
        char full[RELEASE_PATH_MAX * 2];
        snprintf(full, sizeof(full), "%s/%s", dir, name);
        struct stat sb;
        if (lstat(full, &sb) == 0 && S_ISDIR(sb.st_mode) && depth < 8) {
            found = find_unlisted(out, outsz, dir, name, l, depth + 1);
            continue;
        }
        if (!*rel && (strcmp(name, RELEASE_MANIFEST) == 0 || strcmp(name, RELEASE_SIGNATURE) == 0))
            continue;
        bool listed = false;
        for (size_t i = 0; i < l->n && !listed; i++)
            listed = strcmp(l->e[i].name, name) == 0;
        if (!listed) {
            snprintf(out, outsz, "%s", name);
            found = true;
        }
    }
    closedir(d);
    return found;
}

static int check_bundle(rk_release_check *out, rk_ctx *ctx, const char *dir,
                        const char *expect_public, rk_buf *sig, rk_buf *man, rk_buf *names,
                        listing *l)
{
    char path[RELEASE_PATH_MAX], signature[2 * RK_CRYPT__SIGNATURE_BYTES + 1], digest[65],
        check[65], hex[65];
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return rk_error_set(ctx, RK_EINPUT, "'%s' is not a directory; name a release bundle", dir);
    /* The signature file, by its own check line. */
    snprintf(path, sizeof(path), "%s/%s", dir, RELEASE_SIGNATURE);
    if (lstat(path, &sb) != 0)
        return differs(out, ctx, dir, RELEASE_SIGNATURE, "missing; this is not a release bundle");
    int rc = slurp(sig, ctx, path, 4096);
    if (rc != RK_OK)
        return differs(out, ctx, dir, RELEASE_SIGNATURE, "cannot be read");
    const char *p = sig->data ? sig->data : "";
    bool ok = sig_line(signature, &p, "ed25519", 2 * RK_CRYPT__SIGNATURE_BYTES) &&
              sig_line(digest, &p, "manifest-sha256", 64);
    size_t head = (size_t)(p - (sig->data ? sig->data : ""));
    ok = ok && sig_line(check, &p, "check", 64) && *p == '\0';
    if (ok) {
        sha256_hex(hex, sig->data, head);
        ok = strcmp(hex, check) == 0;
    }
    if (!ok)
        return differs(out, ctx, dir, RELEASE_SIGNATURE, "the signature file was changed");
    /* The manifest, by the digest the signature file holds. */
    snprintf(path, sizeof(path), "%s/%s", dir, RELEASE_MANIFEST);
    if (lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode) ||
        slurp(man, ctx, path, RELEASE_MANIFEST_MAX) != RK_OK)
        return differs(out, ctx, dir, RELEASE_MANIFEST, "missing or unreadable");
    sha256_hex(hex, man->data ? man->data : "", man->len);
    if (strcmp(hex, digest) != 0)
        return differs(out, ctx, dir, RELEASE_MANIFEST, "the manifest was changed");
    if (rk_buf_append(names, man->data ? man->data : "", man->len) != RK_OK || !rk_buf_cstr(names))
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    rc = parse_manifest(l, ctx, names->data ? names->data : (char *)""); /* cuts names */
    if (rc == RK_ENOMEM)
        return rc;
    if (rc != RK_OK)
        return differs(out, ctx, dir, RELEASE_MANIFEST, "not a manifest of reckon release");
    out->files = l->n;
    /* Every file listed, by its digest. */
    for (size_t i = 0; i < l->n; i++) {
        char full[RELEASE_PATH_MAX * 2];
        snprintf(full, sizeof(full), "%s/%s", dir, l->e[i].name);
        if (lstat(full, &sb) != 0 || !S_ISREG(sb.st_mode))
            return differs(out, ctx, dir, l->e[i].name, "missing or not a regular file");
        if ((rc = report_release_file_sha256(hex, ctx, full)) != RK_OK)
            return differs(out, ctx, dir, l->e[i].name, "cannot be read");
        if (strcmp(hex, l->e[i].digest) != 0)
            return differs(out, ctx, dir, l->e[i].name, "differs from its digest in the manifest");
    }
    /* Nothing beside them. */
    char extra[RELEASE_PATH_MAX];
    if (find_unlisted(extra, sizeof(extra), dir, "", l, 0))
        return differs(out, ctx, dir, extra, "not in the manifest");
    /* The signature, with the bundle's public key. */
    rk_buf pub;
    rk_buf_init(&pub);
    snprintf(path, sizeof(path), "%s/%s", dir, RELEASE_PUBLIC_KEY);
    bool listed = false;
    for (size_t i = 0; i < l->n; i++)
        listed = listed || strcmp(l->e[i].name, RELEASE_PUBLIC_KEY) == 0;
    rc = listed ? slurp(&pub, ctx, path, 4096) : RK_EINPUT;
    if (rc == RK_OK && pub.len && pub.data[pub.len - 1] == '\n')
        pub.data[--pub.len] = '\0';
    if (rc == RK_OK)
        snprintf(out->public_key, sizeof(out->public_key), "%s", pub.data ? pub.data : "");
    if (rc != RK_OK) {
        rk_buf_release(&pub);
        return differs(out, ctx, dir, RELEASE_PUBLIC_KEY, "missing from the bundle");
    }
    ok = rk_crypt__sign_check(signature, rk_buf_cstr(&pub), man->data ? man->data : "", man->len);
    rk_buf_release(&pub);
    if (!ok)
        return differs(out, ctx, dir, RELEASE_SIGNATURE,
                       "the signature does not match the manifest and the public key");
    if (expect_public && strcmp(expect_public, out->public_key) != 0)
        return differs(out, ctx, dir, RELEASE_PUBLIC_KEY,
                       "signed by another key than the one expected");
    return RK_OK;
}

int rk_release_verify(rk_release_check *out, rk_ctx *ctx, const char *dir,
                      const char *expect_public)
{
    RK_ASSERT_ARG(ctx, out && dir);
    memset(out, 0, sizeof(*out));
    int rc = rk_crypt__init(ctx);
    if (rc != RK_OK)
        return rc;
    rk_buf sig, man, names;
    rk_buf_init(&sig);
    rk_buf_init(&man);
    rk_buf_init(&names);
    listing l = {0};
    rc = check_bundle(out, ctx, dir, expect_public, &sig, &man, &names, &l);
    rk_free(l.e);
    rk_buf_release(&sig);
    rk_buf_release(&man);
    rk_buf_release(&names);
    return rc;
}
