/*
 * bin2txt.h - the flow file's text, made from the column descriptions
 * (binaryValue.h) and the values the plugins appended (outputBuffer.h),
 * as T2's bin2txt makes it with its default settings.
 *
 * A flow line: the columns separated by SEP_CHR, ended by '\n'.  In a
 * column, the values of a compound are joined by '_', repetitions by ';'
 * (none: an empty column), a compound within a value is in parentheses.
 * The values:
 *
 *   I8 ... I64, U8 ... U64   decimal
 *   H8, H16, H32, H64        0x and 2, 4, 8, 16 lower-case hex digits
 *   F, D                     printf "%.7g" (float), "%f" (double)
 *   C                        the byte itself (bt_char); A or B (bt_flow_direction)
 *   S, SC                    the string, UTF-8 checked and escaped as JSON
 *                            does; S in double quotes
 *   U64.U32                  seconds "." nanoseconds, 9 digits at least
 *                            (bt_timestamp, bt_duration)
 *   MAC                      aa:bb:cc:dd:ee:ff
 *   IP4, IP6, IPX            dotted quad, inet_ntop's IPv6 form; IPX "-"
 *                            for version 0
 *
 * The headers file lists the columns with these type codes, "_" between
 * a compound's, ":R" after a repeated one.
 *
 * T2's readers of binary flow files and its JSON output are left out
 * (t2mini's only sink is the text one), and so are its settings for
 * other formats: what is below is what t2mini prints.
 */
#ifndef T2MINI_BIN2TXT_H
#define T2MINI_BIN2TXT_H

#include <inttypes.h>
#include <stdio.h>

#include "binaryValue.h"
#include "outputBuffer.h"
#include "../core/out_buf.h"  /* t2mini's formatters */

#define HEX_CAPITAL 0           /* hex digits in lower case */
#define B2T_TIMESTR 0           /* time stamps as seconds.nanoseconds */
#define B2T_PRIX8  PRIx8
#define B2T_PRIX16 PRIx16
#define B2T_PRIX32 PRIx32
#define B2T_PRIX64 PRIx64
#define MAC_SEP ":"
#define B2T_NON_IP_STR "-"      /* an IPX column without an address */
#define HDR_CHR "%"             /* starts the flow file's line of names */
#define SEP_CHR "\t"            /* column separator */

/* What went wrong in bin2txt_line(). */
typedef struct {
    const binary_value_t *column;   /* the column whose values could not be read */
    unsigned number;                /* its number, from 1 */
    char why[80];
} bin2txt_error_t;

/* The flow line of the values in buf->buffer (buf->pos bytes), described
 * by the list `bv`, onto `out`.  Returns 0, or -1 with `err` filled in
 * when the values do not match the description (out then holds the line
 * up to there). */
int bin2txt_line(outbuf_t *out, const binary_value_t *bv, const outputBuffer_t *buf,
                 bin2txt_error_t *err);

/* The flow file's first line: HDR_CHR, then the column names. */
void bin2txt_names(outbuf_t *out, const binary_value_t *bv);

/* The headers file's column lines: "# Col No.\tType\tName\tDescription",
 * then "1\tC\tdir\tFlow direction" ... */
void bin2txt_columns(FILE *f, const binary_value_t *bv);

#endif
