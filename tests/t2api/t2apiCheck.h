/*
 * t2apiCheck.h - the settings of tests/t2api/exercise.c, in a T2 plugin
 * header's form: t2_get_env() reads the block below at run time.
 */
#ifndef T2APICHECK_H
#define T2APICHECK_H

#include "t2Plugin.h"

/* ========================================================================== */
/* ------------------------ USER CONFIGURATION FLAGS ------------------------ */
/* ========================================================================== */

/* +++++++++++++++++++++ ENV / RUNTIME - conf Variables +++++++++++++++++++++ */

#define T2APICHECK_NAME   "a name with spaces" // a string
#define T2APICHECK_NUM    42    // a number
#define T2APICHECK_HEX    0x1f  // a number, in hex
#define T2APICHECK_SUFFIX "_check.txt" // set in the environment by the test
#define T2APICHECK_NEG -3// no blank before the comment

/* ========================================================================== */
/* ------------------------- DO NOT EDIT BELOW HERE ------------------------- */
/* ========================================================================== */

enum {
    ENV_T2APICHECK_NAME,
    ENV_T2APICHECK_NUM,
    ENV_T2APICHECK_HEX,
    ENV_T2APICHECK_SUFFIX,
    ENV_T2APICHECK_NEG,
    ENV_T2APICHECK_N
};

#endif
