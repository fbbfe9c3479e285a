/* hex: hex text <-> bytes, for the decoder CLI, vectors and JSON dumps. */
#ifndef VTOPO_HEX_H
#define VTOPO_HEX_H

#include <stddef.h>
#include <stdint.h>

/* Parse hex digits, ignoring white space, ':' and an optional "0x"
 * prefix.  Returns the number of bytes written, or -1 on a bad digit,
 * an odd digit count or more than cap bytes. */
long hex_decode(const char *s, uint8_t *out, size_t cap);
/* Lower-case hex without separators; out must hold 2*n+1. Returns out. */
char *hex_encode(const uint8_t *in, size_t n, char *out);

#endif
