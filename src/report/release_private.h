/* What the writer (release.c) and the check (release_verify.c) of a release bundle share: the
 * names of the manifest's files and the layout of its signature file. */
#ifndef RK_REPORT_RELEASE_PRIVATE_H
#define RK_REPORT_RELEASE_PRIVATE_H

#include "common.h"

#define RELEASE_PATH_MAX 4096
/* Hex digits of a person's keyed id (128 bits). */
#define RELEASE_ID_DIGITS  32
#define RELEASE_MANIFEST   "MANIFEST"
#define RELEASE_SIGNATURE  "MANIFEST.sig"
#define RELEASE_PUBLIC_KEY "signing-key.pub"
/* The longest manifest read back. */
#define RELEASE_MANIFEST_MAX (16u << 20)

/* The SHA-256 of the file at path, in hex. */
int report_release_file_sha256(char hex[65], rk_ctx *ctx, const char *path);

/* MANIFEST.sig, three lines: "ed25519 SIGNATURE" (of MANIFEST's bytes), "manifest-sha256 HEX"
 * (MANIFEST's digest) and "check HEX" (the SHA-256 of the two lines before, line ends
 * included). The check line tells a changed signature file from a changed manifest, so that
 * the file named is the one that changed; the signature is what an attacker cannot remake. */
int report_release_sig_text(rk_buf *out, rk_ctx *ctx, const unsigned char *secret,
                            const void *manifest, size_t n);

/* Removes a directory and everything under it, not following links; best effort. */
void report_release_remove_tree(const char *dir);

#endif
