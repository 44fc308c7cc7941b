"""The binary values of the plugin API (api/binaryValue.h, api/outputBuffer.h)
and their text (api/bin2txt.h), type by type, as T2 0.9.3 prints them.

A small C driver declares one column of every type (every BV_APPEND_*
form, repeated columns, compounds, compounds within compounds) and appends
three sets of values with the OUTBUF_APPEND_* macros, as a plugin's
t2PrintHeader() and t2OnFlowTerminate() would.  The same declarations and
appends, built as a T2 plugin and run by T2 0.9.3 (its txtSink, over three
flows), gave the expected text below: the columns' lines of the headers file
and one flow line per set.  The goldens cover basicFlow's and tcpWin's types
only; this covers the rest: signed and floating-point numbers, characters,
strings with escapes and broken UTF-8, IPv4, IPv6 and IPvX addresses, time
stamps with more than nine nanosecond digits, empty and repeated columns,
compounds.  t2mini's own behaviour where T2 stops with an error (values that
do not match their description) and the output buffer's growth are checked
too.
"""
import shutil
import subprocess

import pytest

from conftest import ROOT

# The values T2 printed for each column, for the driver's cases 0, 1 and 2.
COLUMNS = [
    # name, type code, description, text for case 0, 1, 2
    ('i8', 'I8', 'signed 8', '-128', '-1', '127'),
    ('i16', 'I16', 'signed 16', '-32768', '-1', '32767'),
    ('i32', 'I32', 'signed 32', '-2147483648', '0', '2147483647'),
    ('i64', 'I64', 'signed 64', '-9223372036854775808', '-42', '9223372036854775807'),
    ('u8', 'U8', 'unsigned 8', '0', '1', '255'),
    ('u16', 'U16', 'unsigned 16', '0', '1', '65535'),
    ('u32', 'U32', 'unsigned 32', '0', '1', '4294967295'),
    ('u64', 'U64', 'unsigned 64', '0', '1', '18446744073709551615'),
    ('h8', 'H8', 'hex 8', '0x00', '0xab', '0xff'),
    ('h16', 'H16', 'hex 16', '0x0000', '0x00ab', '0xffff'),
    ('h32', 'H32', 'hex 32', '0x00000000', '0x0000abcd', '0xffffffff'),
    ('h64', 'H64', 'hex 64', '0x0000000000000000', '0x0000000000abcdef', '0xffffffffffffffff'),
    ('flt', 'F', 'float', '0', '1.5', '1e-10'),
    ('flt2', 'F', 'float again', '1.234568e+08', '0.1', '-inf'),
    ('dbl', 'D', 'double', '0.000000', '3.141593', '100000000000000000000.000000'),
    ('dbl2', 'D', 'double again', '-2.500000', '0.000000', 'inf'),
    ('chr', 'C', 'char', 'x', ' ', '~'),
    ('str', 'S', 'string', '""', '"a\\"b\\\\c\\td\\ne\\rf\\bg\\fh\\vi/"', '"\xe9\u20ac\U0001f600 \\u0001\\u001F\\u007F"'),
    ('str2', 'S', 'string, bad UTF-8', '".(."', '".x.y...z"', '"...x."'),
    ('strc', 'SC', 'string class', '-', 'eth:ipv4:tcp', 'a b;c_d\\u0002\xe9'),
    ('mac', 'MAC', 'MAC', '00:00:00:00:00:00', '02:99:00:00:00:0a', 'ff:ff:ff:ff:ff:ff'),
    ('ip4', 'IP4', 'IPv4', '0.0.0.0', '10.1.2.3', '255.255.255.255'),
    ('ip6', 'IP6', 'IPv6', '::', '::ffff:1.2.3.4', '2001:db8::1:0:0:1'),
    ('ip6b', 'IP6', 'IPv6 again', '::1', 'fe80::1', '1:2:3:4:5:6:7:8'),
    ('ipx', 'IPX', 'IPvX', '-', '10.1.2.3', '1:2:3:4:5:6:7:8'),
    ('ts', 'U64.U32', 'time stamp', '0.000000000', '1700000000.000000123', '18446744073709551615.1234567890'),
    ('dur', 'U64.U32', 'duration', '0.000000001', '86400.500000000', '1.999999999'),
    ('fdir', 'C', 'flow direction', 'A', 'B', 'B'),
    ('u16R', 'U16:R', 'repeated U16', '', '1', '1;2'),
    ('strR', 'S:R', 'repeated strings', '', '""', '"";"a\\"b\\\\c\\td\\ne\\rf\\bg\\fh\\vi/"'),
    ('macR', 'MAC:R', 'repeated MACs', '', '00:00:00:00:00:00', '00:00:00:00:00:00;02:99:00:00:00:0a'),
    ('h32R', 'H32:R', 'repeated H32 (array)', '', '0x00000000', '0x00000000;0x0000abcd'),
    ('i16R', 'I16:R', 'repeated I16 (array)', '', '-32768', '-32768;-1'),
    ('dblR', 'D:R', 'repeated doubles (array)', '', '0.000000', '0.000000;3.141593'),
    ('optStr', 'S:R', 'optional string', '', '', '"opt"'),
    ('ip4R', 'IP4:R', 'repeated IPv4 (array)', '', '0.0.0.0', '0.0.0.0;10.1.2.3'),
    ('ip6R', 'IP6:R', 'repeated IPv6 (array)', '', '::1', '::1;fe80::1'),
    ('u8_str', 'U8_S', 'compound', '0_"-"', '1_"eth:ipv4:tcp"', '255_"a b;c_d\\u0002\xe9"'),
    ('u16_ip4R', 'U16_IP4:R', 'repeated compound', '', '0_0.0.0.0', '0_0.0.0.0;1_10.1.2.3'),
    ('nest', 'U8_(H16_SC:R):R', 'nested compound', '', '0_()', '0_();1_(0x00ab_-)'),
    ('deep', '(U8_I8)_U8_((U32:R)_C)', 'deeper compound', '(0_-128)_255_(()_x)', '(1_-1)_1_((0)_ )', '(255_127)_0_((0;1)_~)'),
    ('zU8', 'U8', 'zeros', '0', '0', '0'),
    ('zI64', 'I64', 'zero', '0', '0', '0'),
    ('zFlt', 'F', 'zero', '0', '0', '0'),
    ('zDbl', 'D', 'zero', '0.000000', '0.000000', '0.000000'),
    ('zTime', 'U64.U32', 'zero time', '0.000000000', '0.000000000', '0.000000000'),
    ('tSec', 'U64.U32', 'time, seconds only', '0.000000000', '1700000000.000000000', '18446744073709551615.000000000'),
    ('zMac', 'MAC', 'zero MAC', '00:00:00:00:00:00', '00:00:00:00:00:00', '00:00:00:00:00:00'),
    ('zIp4', 'IP4', 'zero IPv4', '0.0.0.0', '0.0.0.0', '0.0.0.0'),
    ('zIp6', 'IP6', 'zero IPv6', '::', '::', '::'),
    ('zStr', 'S', 'empty string', '""', '""', '""'),
    ('zRep', 'U16:R', 'no repeats', '', '', ''),
    ('oneRep', 'U16:R', 'one repeat', '0', '1', '65535'),
    ('n16', 'U16', 'U16 from network order', '4660', '4660', '4660'),
    ('n32', 'U32', 'U32 from network order', '305419896', '305419897', '305419898'),
    ('n64', 'H64', 'U64 from network order', '0x0102030405060708', '0x0102030405060709', '0x010203040506070a'),
]

PROBE = r"""
#include <math.h>
#include <string.h>
#include <arpa/inet.h>

#define PROBE_CASES 3

typedef union {
    struct in_addr IPv4;
    struct in6_addr IPv6;
} probe_ip_t;

static binary_value_t *probe_header(void)
{
    binary_value_t *bv = NULL;
    BV_APPEND_I8(bv, "i8", "signed 8");
    BV_APPEND_I16(bv, "i16", "signed 16");
    BV_APPEND_I32(bv, "i32", "signed 32");
    BV_APPEND_I64(bv, "i64", "signed 64");
    BV_APPEND_U8(bv, "u8", "unsigned 8");
    BV_APPEND_U16(bv, "u16", "unsigned 16");
    BV_APPEND_U32(bv, "u32", "unsigned 32");
    BV_APPEND_U64(bv, "u64", "unsigned 64");
    BV_APPEND_H8(bv, "h8", "hex 8");
    BV_APPEND_H16(bv, "h16", "hex 16");
    BV_APPEND_H32(bv, "h32", "hex 32");
    BV_APPEND_H64(bv, "h64", "hex 64");
    BV_APPEND_FLT(bv, "flt", "float");
    BV_APPEND_FLT(bv, "flt2", "float again");
    BV_APPEND_DBL(bv, "dbl", "double");
    BV_APPEND_DBL(bv, "dbl2", "double again");
    BV_APPEND_CHAR(bv, "chr", "char");
    BV_APPEND_STR(bv, "str", "string");
    BV_APPEND_STR(bv, "str2", "string, bad UTF-8");
    BV_APPEND_STRC(bv, "strc", "string class");
    BV_APPEND_MAC(bv, "mac", "MAC");
    BV_APPEND_IP4(bv, "ip4", "IPv4");
    BV_APPEND_IP6(bv, "ip6", "IPv6");
    BV_APPEND_IP6(bv, "ip6b", "IPv6 again");
    BV_APPEND_IPX(bv, "ipx", "IPvX");
    BV_APPEND_TIMESTAMP(bv, "ts", "time stamp");
    BV_APPEND_DURATION(bv, "dur", "duration");
    BV_APPEND_TYPE(bv, "fdir", "flow direction", bt_flow_direction);
    BV_APPEND_U16_R(bv, "u16R", "repeated U16");
    BV_APPEND_STR_R(bv, "strR", "repeated strings");
    BV_APPEND_MAC_R(bv, "macR", "repeated MACs");
    BV_APPEND_H32_R(bv, "h32R", "repeated H32 (array)");
    BV_APPEND_I16_R(bv, "i16R", "repeated I16 (array)");
    BV_APPEND_DBL_R(bv, "dblR", "repeated doubles (array)");
    BV_APPEND_STR_R(bv, "optStr", "optional string");
    BV_APPEND_IP4_R(bv, "ip4R", "repeated IPv4 (array)");
    BV_APPEND_IP6_R(bv, "ip6R", "repeated IPv6 (array)");
    BV_APPEND(bv, "u8_str", "compound", 2, bt_uint_8, bt_string);
    BV_APPEND_R(bv, "u16_ip4R", "repeated compound", 2, bt_uint_16, bt_ip4_addr);
    binary_value_t *nest = bv_new_bv("nest", "nested compound", BV_REPEAT_YES, 2, bt_uint_8, bt_compound);
    bv_add_sv_to_bv(nest, 1, BV_REPEAT_YES, 2, bt_hex_16, bt_string_class);
    bv = bv_append_bv(bv, nest);
    binary_value_t *deep = bv_new_bv("deep", "deeper compound", BV_REPEAT_NO, 3, bt_compound, bt_uint_8, bt_compound);
    bv_add_sv_to_bv(deep, 0, BV_REPEAT_NO, 2, bt_uint_8, bt_int_8);
    bv_add_sv_to_bv(deep, 2, BV_REPEAT_NO, 2, bt_compound, bt_char);
    bv_add_sv_to_sv(&deep->subval[2], 0, BV_REPEAT_YES, 1, bt_uint_32);
    bv = bv_append_bv(bv, deep);
    BV_APPEND_U8(bv, "zU8", "zeros");
    BV_APPEND_I64(bv, "zI64", "zero");
    BV_APPEND_FLT(bv, "zFlt", "zero");
    BV_APPEND_DBL(bv, "zDbl", "zero");
    BV_APPEND_TIMESTAMP(bv, "zTime", "zero time");
    BV_APPEND_TIMESTAMP(bv, "tSec", "time, seconds only");
    BV_APPEND_MAC(bv, "zMac", "zero MAC");
    BV_APPEND_IP4(bv, "zIp4", "zero IPv4");
    BV_APPEND_IP6(bv, "zIp6", "zero IPv6");
    BV_APPEND_STR(bv, "zStr", "empty string");
    BV_APPEND_U16_R(bv, "zRep", "no repeats");
    BV_APPEND_U16_R(bv, "oneRep", "one repeat");
    BV_APPEND_U16(bv, "n16", "U16 from network order");
    BV_APPEND_U32(bv, "n32", "U32 from network order");
    BV_APPEND_H64(bv, "n64", "U64 from network order");
    return bv;
}

static void probe_fill(outputBuffer_t *buf, unsigned c)
{
    static const int8_t i8[] = { -128, -1, 127 };
    static const int16_t i16[] = { -32768, -1, 32767 };
    static const int32_t i32[] = { INT32_MIN, 0, INT32_MAX };
    static const int64_t i64[] = { INT64_MIN, -42, INT64_MAX };
    static const uint8_t u8[] = { 0, 1, UINT8_MAX };
    static const uint16_t u16[] = { 0, 1, UINT16_MAX };
    static const uint32_t u32[] = { 0, 1, UINT32_MAX };
    static const uint64_t u64[] = { 0, 1, UINT64_MAX };
    static const uint8_t h8[] = { 0, 0xab, UINT8_MAX };
    static const uint16_t h16[] = { 0, 0xab, UINT16_MAX };
    static const uint32_t h32[] = { 0, 0xabcd, UINT32_MAX };
    static const uint64_t h64[] = { 0, 0xabcdef, UINT64_MAX };
    const float flt[] = { 0.0f, 1.5f, 1e-10f };
    const float flt2[] = { 123456789.0f, 0.1f, -INFINITY };
    const double dbl[] = { 0.0, 3.141592653589793, 1e20 };
    const double dbl2[] = { -2.5, 1e-7, INFINITY };
    static const char chr[] = { 'x', ' ', '~' };
    static const char *const str[] = { "", "a\"b\\c\td\ne\rf\bg\fh\vi/", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \x01\x1f\x7f" };
    static const char *const str2[] = { "\xc3(\xc3", "\xe0\x80x\xed\xa0\x80y\xf4\x90\x80\x80z", "\xff\xc1\xf0\x9f\x98x\xe2\x82" };
    static const char *const strc[] = { "-", "eth:ipv4:tcp", "a b;c_d\x02\xc3\xa9" };
    static const uint8_t mac[][6] = { {0,0,0,0,0,0}, {0x02,0x99,0,0,0,0x0a}, {0xff,0xff,0xff,0xff,0xff,0xff} };
    static const uint8_t ip4[][4] = { {0,0,0,0}, {10,1,2,3}, {255,255,255,255} };
    static const uint8_t ip6[][16] = {
        {0},
        {0,0,0,0,0,0,0,0,0,0,0xff,0xff,1,2,3,4},
        {0x20,0x01,0x0d,0xb8,0,0,0,0,0,1,0,0,0,0,0,1} };
    static const uint8_t ip6b[][16] = {
        {0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1},
        {0xfe,0x80,0,0,0,0,0,0,0,0,0,0,0,0,0,1},
        {0,1,0,2,0,3,0,4,0,5,0,6,0,7,0,8} };
    static const uint64_t tsec[] = { 0, 1700000000, UINT64_MAX };
    static const uint32_t tns[] = { 0, 123, 1234567890 };
    static const uint64_t dsec[] = { 0, 86400, 1 };
    static const uint32_t dns[] = { 1, 500000000, 999999999 };
    static const uint8_t fdir[] = { 0, 1, 7 };

    probe_ip_t ip;
    OUTBUF_APPEND_I8(buf, i8[c]);
    OUTBUF_APPEND_I16(buf, i16[c]);
    OUTBUF_APPEND_I32(buf, i32[c]);
    OUTBUF_APPEND_I64(buf, i64[c]);
    OUTBUF_APPEND_U8(buf, u8[c]);
    OUTBUF_APPEND_U16(buf, u16[c]);
    OUTBUF_APPEND_U32(buf, u32[c]);
    OUTBUF_APPEND_U64(buf, u64[c]);
    OUTBUF_APPEND_U8(buf, h8[c]);
    OUTBUF_APPEND_U16(buf, h16[c]);
    OUTBUF_APPEND_U32(buf, h32[c]);
    OUTBUF_APPEND_U64(buf, h64[c]);
    OUTBUF_APPEND_FLT(buf, flt[c]);
    OUTBUF_APPEND_FLT(buf, flt2[c]);
    OUTBUF_APPEND_DBL(buf, dbl[c]);
    OUTBUF_APPEND_DBL(buf, dbl2[c]);
    OUTBUF_APPEND(buf, chr[c], 1);
    OUTBUF_APPEND_STR(buf, str[c]);
    OUTBUF_APPEND_STR(buf, str2[c]);
    OUTBUF_APPEND_STR(buf, strc[c]);
    OUTBUF_APPEND_MAC(buf, mac[c]);
    memcpy(&ip.IPv4, ip4[c], 4);
    OUTBUF_APPEND_IP4(buf, ip);
    memcpy(&ip.IPv6, ip6[c], 16);
    OUTBUF_APPEND_IP6(buf, ip);
    memcpy(&ip.IPv6, ip6b[c], 16);
    OUTBUF_APPEND_IP6(buf, ip);
    {
        const uint8_t ver = (uint8_t)(c == 0 ? 0 : c == 1 ? 4 : 6);
        memcpy(&ip.IPv6, ip6b[c], 16);
        if (c == 1) memcpy(&ip.IPv4, ip4[1], 4);
        OUTBUF_APPEND_IPVX(buf, ver, ip);
    }
    OUTBUF_APPEND_TIME(buf, tsec[c], tns[c]);
    OUTBUF_APPEND_TIME(buf, dsec[c], dns[c]);
    OUTBUF_APPEND_U8(buf, fdir[c]);

    /* u16R: c values 1..c */
    OUTBUF_APPEND_NUMREP(buf, c);
    for (uint16_t k = 1; k <= c; k++) OUTBUF_APPEND_U16(buf, k);
    /* strR */
    OUTBUF_APPEND_ARRAY_STR(buf, str, c);
    /* macR */
    OUTBUF_APPEND_ARRAY_MAC(buf, mac, c);
    OUTBUF_APPEND_ARRAY_U32(buf, h32, c);
    OUTBUF_APPEND_ARRAY_I16(buf, i16, c);
    OUTBUF_APPEND_ARRAY_DBL(buf, dbl, c);
    {
        const char *opt = c == 0 ? NULL : c == 1 ? "" : "opt";
        OUTBUF_APPEND_OPT_STR(buf, opt);
    }
    {
        probe_ip_t ips[3];
        for (unsigned k = 0; k < 3; k++) memcpy(&ips[k].IPv4, ip4[k], 4);
        OUTBUF_APPEND_ARRAY_IP4(buf, ips, c);
        for (unsigned k = 0; k < 3; k++) memcpy(&ips[k].IPv6, ip6b[k], 16);
        OUTBUF_APPEND_ARRAY_IP6(buf, ips, c);
    }
    /* u8_str */
    OUTBUF_APPEND_U8(buf, u8[c]);
    OUTBUF_APPEND_STR(buf, strc[c]);
    /* u16_ip4R: c repeats */
    OUTBUF_APPEND_NUMREP(buf, c);
    for (unsigned k = 0; k < c; k++) {
        OUTBUF_APPEND_U16(buf, u16[k]);
        memcpy(&ip.IPv4, ip4[k], 4);
        OUTBUF_APPEND_IP4(buf, ip);
    }
    /* nest: c outer repeats, each with k inner ones */
    OUTBUF_APPEND_NUMREP(buf, c);
    for (unsigned k = 0; k < c; k++) {
        OUTBUF_APPEND_U8(buf, u8[k]);
        OUTBUF_APPEND_NUMREP(buf, k);
        for (unsigned j = 0; j < k; j++) {
            OUTBUF_APPEND_U16(buf, h16[j + 1]);
            OUTBUF_APPEND_STR(buf, strc[j]);
        }
    }
    /* deep: (u8_i8)_u8_((u32;...)_char) */
    OUTBUF_APPEND_U8(buf, u8[c]);
    OUTBUF_APPEND_I8(buf, i8[c]);
    OUTBUF_APPEND_U8(buf, u8[2 - c]);
    OUTBUF_APPEND_NUMREP(buf, c);
    for (unsigned k = 0; k < c; k++) OUTBUF_APPEND_U32(buf, u32[k]);
    OUTBUF_APPEND(buf, chr[c], 1);
    /* the _ZERO forms */
    OUTBUF_APPEND_U8_ZERO(buf);
    OUTBUF_APPEND_I64_ZERO(buf);
    OUTBUF_APPEND_FLT_ZERO(buf);
    OUTBUF_APPEND_DBL_ZERO(buf);
    OUTBUF_APPEND_TIME_ZERO(buf);
    OUTBUF_APPEND_TIME_SEC(buf, tsec[c]);
    OUTBUF_APPEND_MAC_ZERO(buf);
    OUTBUF_APPEND_IP4_ZERO(buf);
    OUTBUF_APPEND_IP6_ZERO(buf);
    OUTBUF_APPEND_STR_EMPTY(buf);
    OUTBUF_APPEND_NUMREP_ZERO(buf);
    OUTBUF_APPEND_NUMREP_ONE(buf);
    OUTBUF_APPEND_U16(buf, u16[c]);
    {
        const uint16_t n16 = htons(0x1234);
        const uint32_t n32 = htonl(0x12345678u + c);
        uint64_t n64;
        const uint8_t b8[8] = { 1, 2, 3, 4, 5, 6, 7, (uint8_t)(8 + c) };
        memcpy(&n64, b8, 8);
        OUTBUF_APPEND_U16_NTOH(buf, n16);
        OUTBUF_APPEND_U32_NTOH(buf, n32);
        OUTBUF_APPEND_U64_NTOH(buf, n64);
    }
}
"""

DRIVER = '#include <stdio.h>\n#include "bin2txt.h"\n' + PROBE + r"""
static char text[OUTBUF_LINE_SIZE];

static void error_case(const char *what, binary_value_t *bv, outputBuffer_t *buf, outbuf_t *out)
{
    bin2txt_error_t err;
    char line[256];
    outbuf_t tmp;
    outbuf_on_array(&tmp, line, sizeof(line));
    const int rc = bin2txt_line(&tmp, bv, buf, &err);
    outbuf_puts(out, what);
    if (rc == 0) outbuf_puts(out, ": no error\n");
    else {
        outbuf_puts(out, ": column ");
        outbuf_u64(out, err.number);
        outbuf_puts(out, " (");
        outbuf_puts(out, err.column->name);
        outbuf_puts(out, "): ");
        outbuf_puts(out, err.why);
        outbuf_putc(out, '\n');
    }
    bv_header_destroy(bv);
    outputBuffer_reset(buf);
}

int main(void)
{
    outbuf_t out;
    outbuf_on_stream(&out, stdout, text, sizeof(text));

    /* the core's two columns, then the probe's, as the headers file has them */
    binary_value_t *bv = bv_new_bv("dir", "Flow direction", BV_REPEAT_NO, 1, bt_flow_direction);
    BV_APPEND_U64(bv, "flowInd", "Flow index");
    bv = bv_append_bv(bv, probe_header());
    bin2txt_names(&out, bv);
    outbuf_flush(&out);
    bin2txt_columns(stdout, bv);

    outputBuffer_t *buf = outputBuffer_initialize(MAIN_OUTBUF_SIZE);
    for (unsigned c = 0; c < PROBE_CASES; c++) {
        const uint8_t dir = (uint8_t)(c == 2);
        const uint64_t findex = 100 + c;
        outputBuffer_reset(buf);
        OUTBUF_APPEND_U8(buf, dir);
        OUTBUF_APPEND_U64(buf, findex);
        probe_fill(buf, c);
        bin2txt_error_t err;
        if (bin2txt_line(&out, bv, buf, &err) != 0) outbuf_puts(&out, "unexpected error\n");
    }
    bv_header_destroy(bv);
    outputBuffer_reset(buf);

    /* values that do not match their description */
    {
        const uint16_t two = 2;
        binary_value_t *b = NULL;
        BV_APPEND_U8(b, "a", "");
        BV_APPEND_U32(b, "short", "");
        OUTBUF_APPEND_U8(buf, two);
        OUTBUF_APPEND_U16(buf, two);
        error_case("too few bytes", b, buf, &out);
    }
    {
        const uint8_t five = 5;
        binary_value_t *b = NULL;
        BV_APPEND_IPX(b, "ip", "");
        OUTBUF_APPEND_U8(buf, five);
        error_case("IP version 5", b, buf, &out);
    }
    {
        const uint64_t zero = 0;
        binary_value_t *b = bv_new_bv("wide", "T2's bt_int_128", BV_REPEAT_NO, 1, 5);
        OUTBUF_APPEND_U64(buf, zero);
        OUTBUF_APPEND_U64(buf, zero);
        error_case("type 5", b, buf, &out);
    }
    {
        binary_value_t *b = NULL;
        BV_APPEND_STR(b, "str", "");
        outputBuffer_append(buf, "abc", 3);
        error_case("no NUL", b, buf, &out);
    }
    {
        const uint16_t one = 1;
        binary_value_t *b = NULL;
        BV_APPEND_U16_R(b, "rep", "");
        OUTBUF_APPEND_U16(buf, one);
        error_case("no count", b, buf, &out);
    }
    {
        binary_value_t *b = NULL;
        BV_APPEND_U8(b, "empty", "");
        error_case("empty buffer", b, buf, &out);
    }
    outputBuffer_destroy(buf);

    /* a compound part that is not there; names and descriptions cut */
    {
        char name[300], desc[2000];
        memset(name, 'n', sizeof(name) - 1);
        name[sizeof(name) - 1] = 0;
        memset(desc, 'd', sizeof(desc) - 1);
        desc[sizeof(desc) - 1] = 0;
        binary_value_t *b = bv_new_bv(name, desc, BV_REPEAT_NO, 2, bt_compound, bt_uint_8);
        outbuf_puts(&out, bv_add_sv_to_bv(b, 2, BV_REPEAT_NO, 1, bt_uint_8) ? "pos 2 added\n" : "pos 2: NULL\n");
        outbuf_puts(&out, bv_add_sv_to_sv(&b->subval[1], 0, BV_REPEAT_NO, 1, bt_uint_8) ? "sv pos 0 added\n" : "sv pos 0: NULL\n");
        outbuf_u64(&out, strlen(b->name));
        outbuf_putc(&out, ' ');
        outbuf_u64(&out, strlen(b->desc));
        outbuf_putc(&out, '\n');
        bv_header_destroy(b);
    }

    /* the buffer doubles as T2's does, up to 5 MB; what does not fit is counted */
    {
        outputBuffer_t *small = outputBuffer_initialize(4);
        static char block[5000001];
        outputBuffer_append(small, block, 100);
        outbuf_puts(&out, "grown: pos ");
        outbuf_u64(&out, small->pos);
        outbuf_puts(&out, " lost ");
        outbuf_u64(&out, small->lost);
        outputBuffer_append(small, block, sizeof(block) - 1);
        outputBuffer_append(small, block, 1);
        outbuf_puts(&out, "; too much: pos ");
        outbuf_u64(&out, small->pos);
        outbuf_puts(&out, " lost ");
        outbuf_u64(&out, small->lost);
        outbuf_puts(&out, " size ");
        outbuf_u64(&out, small->size);
        outputBuffer_reset(small);
        outbuf_puts(&out, "; reset: pos ");
        outbuf_u64(&out, small->pos);
        outbuf_puts(&out, " lost ");
        outbuf_u64(&out, small->lost);
        outbuf_putc(&out, '\n');
        outputBuffer_destroy(small);
    }
    outbuf_flush(&out);
    return 0;
}
"""

ERRORS = """\
too few bytes: column 2 (short): fewer values than its description has
IP version 5: column 1 (ip): IP version 5 (neither 4 nor 6, nor 0 for none)
type 5: column 1 (wide): type 5, which has no text form
no NUL: column 1 (str): a string without its NUL
no count: column 1 (rep): no number of repetitions
empty buffer: column 1 (empty): fewer values than its description has
pos 2: NULL
sv pos 0: NULL
127 1023
grown: pos 100 lost 0; too much: pos 100 lost 5000001 size 128; reset: pos 0 lost 0
"""


def expected():
    names = ["dir", "flowInd"] + [c[0] for c in COLUMNS]
    cols = ["1\tC\tdir\tFlow direction", "2\tU64\tflowInd\tFlow index"]
    cols += ["%d\t%s\t%s\t%s" % (i + 3, c[1], c[0], c[2]) for i, c in enumerate(COLUMNS)]
    lines = ["\t".join(["AAB"[c], str(100 + c)] + [col[3 + c] for col in COLUMNS]) for c in range(3)]
    return ("%" + "\t".join(names) + "\n" + "# Col No.\tType\tName\tDescription\n" +
            "\n".join(cols) + "\n" + "\n".join(lines) + "\n" + ERRORS)


def sanitizer_flags(cc, tmp_path):
    """ASan and UBSan, when `cc` can build and run with them."""
    flags = ["-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all"]
    probe = tmp_path / "san.c"
    probe.write_text("int main(void) { return 0; }\n")
    exe = tmp_path / "san"
    ok = subprocess.run([cc, *flags, "-o", str(exe), str(probe)], capture_output=True).returncode == 0
    return flags if ok and subprocess.run([str(exe)]).returncode == 0 else []


@pytest.mark.parametrize("cc", ["cc", "clang"])
def test_every_type_prints_as_t2_prints_it(tmp_path, cc):
    if not shutil.which(cc):
        pytest.skip(f"no {cc}")
    driver = tmp_path / "driver.c"
    driver.write_text(DRIVER)
    exe = tmp_path / "driver"
    sources = [str(ROOT / "core" / f) for f in
               ("binary_value.c", "output_buffer.c", "bin2txt.c", "out_buf.c", "out_escape.c")]
    proc = subprocess.run([cc, "-std=c99", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-O1",
                           "-D_POSIX_C_SOURCE=200809L", *sanitizer_flags(cc, tmp_path),
                           "-I", str(ROOT / "api"), "-I", str(ROOT / "core"),
                           "-o", str(exe), str(driver), *sources, "-lm"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    run = subprocess.run([str(exe)], capture_output=True)
    assert run.returncode == 0 and run.stderr == b"", run.stderr
    got = run.stdout.decode("utf-8").split("\n")
    want = expected().split("\n")
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g == w


def test_a_type_t2_cannot_print_does_not_build(tmp_path):
    """T2's 128-bit types, long double and binary-file header are left out:
    a plugin using them fails to build, with an error naming them."""
    src = tmp_path / "wide.c"
    src.write_text('#include "binaryValue.h"\n'
                   'binary_value_t *t2PrintHeader(void)\n{\n'
                   '    binary_value_t *bv = NULL;\n'
                   '    BV_APPEND_TYPE(bv, "wide", "128 bits", bt_uint_128);\n'
                   '    return bv;\n}\n')
    proc = subprocess.run(["cc", "-std=c99", "-fsyntax-only", "-I", str(ROOT / "api"), str(src)],
                          capture_output=True, text=True)
    assert proc.returncode != 0 and "bt_uint_128" in proc.stderr
