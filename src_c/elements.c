/* SPDX-License-Identifier: MIT */
/*
 * elements.c -- the per-element-type loops of elements.h: one inclusion of
 * elements.template.c per element type the entry points take.
 */
#include "elements.h"

#define ELEMENT_NAME int32
#define ELEMENT_TYPE int32_t
#define ELEMENT_UTYPE uint32_t
#define ELEMENT_SWAPPED 0
#define ELEMENT_SIGNED 1
#define ELEMENT_KERNEL classify_u32
#define ELEMENT_EXTREMES extremes_u32
#define ELEMENT_BYTESWAP byteswap_u32
#define ELEMENT_RUN_MISMATCH run_mismatch_u32
#define ELEMENT_KERNEL_TYPE uint32_t
#include "elements.template.c"

#define ELEMENT_NAME uint32
#define ELEMENT_TYPE uint32_t
#define ELEMENT_UTYPE uint32_t
#define ELEMENT_SWAPPED 0
#define ELEMENT_SIGNED 0
#define ELEMENT_KERNEL classify_u32
#define ELEMENT_EXTREMES extremes_u32
#define ELEMENT_BYTESWAP byteswap_u32
#define ELEMENT_RUN_MISMATCH run_mismatch_u32
#define ELEMENT_KERNEL_TYPE uint32_t
#include "elements.template.c"

#define ELEMENT_NAME int64
#define ELEMENT_NARROW narrow_i64
#define ELEMENT_TYPE int64_t
#define ELEMENT_UTYPE uint64_t
#define ELEMENT_SWAPPED 0
#define ELEMENT_SIGNED 1
#define ELEMENT_KERNEL classify_u64
#define ELEMENT_EXTREMES extremes_u64
#define ELEMENT_BYTESWAP byteswap_u64
#define ELEMENT_RUN_MISMATCH run_mismatch_u64
#define ELEMENT_KERNEL_TYPE uint64_t
#include "elements.template.c"

#define ELEMENT_NAME uint64
#define ELEMENT_NARROW narrow_u64
#define ELEMENT_TYPE uint64_t
#define ELEMENT_UTYPE uint64_t
#define ELEMENT_SWAPPED 0
#define ELEMENT_SIGNED 0
#define ELEMENT_KERNEL classify_u64
#define ELEMENT_EXTREMES extremes_u64
#define ELEMENT_BYTESWAP byteswap_u64
#define ELEMENT_RUN_MISMATCH run_mismatch_u64
#define ELEMENT_KERNEL_TYPE uint64_t
#include "elements.template.c"

/* The same four types in the other byte order (NumPy's non-native arrays,
 * '>i4' on a little-endian machine), read in place. */
/* SPDX-License-Identifier: MIT */
/*
 * elements.c -- the per-element-type loops of elements.h: one inclusion of
 * elements.template.c per element type the entry points take.
 */
#include "elements.h"

#define ELEMENT_NAME int32_swapped
#define ELEMENT_TYPE int32_t
#define ELEMENT_UTYPE uint32_t
#define ELEMENT_SWAPPED 1
#define ELEMENT_SIGNED 1
#define ELEMENT_KERNEL classify_u32
#define ELEMENT_EXTREMES extremes_u32
#define ELEMENT_BYTESWAP byteswap_u32
#define ELEMENT_RUN_MISMATCH run_mismatch_u32
#define ELEMENT_KERNEL_TYPE uint32_t
#include "elements.template.c"

#define ELEMENT_NAME uint32_swapped
#define ELEMENT_TYPE uint32_t
#define ELEMENT_UTYPE uint32_t
#define ELEMENT_SWAPPED 1
#define ELEMENT_SIGNED 0
#define ELEMENT_KERNEL classify_u32
#define ELEMENT_EXTREMES extremes_u32
#define ELEMENT_BYTESWAP byteswap_u32
#define ELEMENT_RUN_MISMATCH run_mismatch_u32
#define ELEMENT_KERNEL_TYPE uint32_t
#include "elements.template.c"

#define ELEMENT_NAME int64_swapped
#define ELEMENT_TYPE int64_t
#define ELEMENT_UTYPE uint64_t
#define ELEMENT_SWAPPED 1
#define ELEMENT_SIGNED 1
#define ELEMENT_KERNEL classify_u64
#define ELEMENT_EXTREMES extremes_u64
#define ELEMENT_BYTESWAP byteswap_u64
#define ELEMENT_RUN_MISMATCH run_mismatch_u64
#define ELEMENT_KERNEL_TYPE uint64_t
#include "elements.template.c"

#define ELEMENT_NAME uint64_swapped
#define ELEMENT_TYPE uint64_t
#define ELEMENT_UTYPE uint64_t
#define ELEMENT_SWAPPED 1
#define ELEMENT_SIGNED 0
#define ELEMENT_KERNEL classify_u64
#define ELEMENT_EXTREMES extremes_u64
#define ELEMENT_BYTESWAP byteswap_u64
#define ELEMENT_RUN_MISMATCH run_mismatch_u64
#define ELEMENT_KERNEL_TYPE uint64_t
#include "elements.template.c"
