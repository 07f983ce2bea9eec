/* Functions that are easy to misuse: including this header (done by every .c through
 * common.h) makes any use of them a compile error. Use rk_parse_*, rk_buf_printf, snprintf,
 * memcpy with explicit lengths, strtok_r instead. */
#ifndef RK_BANNED_H
#define RK_BANNED_H

#define RK_BANNED(func) sorry_##func##_is_banned_in_reckon

#undef atoi
#define atoi(x) RK_BANNED(atoi)
#undef atol
#define atol(x) RK_BANNED(atol)
#undef strcpy
#define strcpy(x, y) RK_BANNED(strcpy)
#undef strcat
#define strcat(x, y) RK_BANNED(strcat)
#undef sprintf
#define sprintf(...) RK_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) RK_BANNED(vsprintf)
#undef sscanf
#define sscanf(...) RK_BANNED(sscanf)
#undef gets
#define gets(x) RK_BANNED(gets)
/* strtok keeps its place in hidden static state: a nested or concurrent split corrupts it. */
#undef strtok
#define strtok(x, y) RK_BANNED(strtok)

#endif
