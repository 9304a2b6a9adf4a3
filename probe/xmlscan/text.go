package xmlscan

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// textError is a fault in character data, at byte at of its raw text.
type textError struct {
	at  int
	msg string
}

// decode returns the character data of raw as encoding/xml reads it: a
// "\r\n" or a lone '\r' becomes '\n' and, when refs is set (text and
// attribute values, not CDATA), the five predefined entities and
// character references are replaced. When nothing changes, out is raw
// itself and grown is nil; otherwise out is appended to dst, and grown is
// dst with out at its end.
func decode(raw, dst []byte, refs bool) (out, grown []byte, err *textError) {
	if bytes.IndexByte(raw, '\r') < 0 && (!refs || bytes.IndexByte(raw, '&') < 0) {
		if err := checkChars(raw, 0); err != nil {
			return nil, nil, err
		}
		return raw, nil, nil
	}
	start := len(dst)
	for i := 0; i < len(raw); {
		switch c := raw[i]; {
		case c == '\r':
			dst = append(dst, '\n')
			i++
			if i < len(raw) && raw[i] == '\n' {
				i++
			}
		case c == '&' && refs:
			r, n, err := reference(raw[i:])
			if err != nil {
				err.at += i
				return nil, nil, err
			}
			if !isChar(r) {
				return nil, nil, &textError{i, fmt.Sprintf("illegal character code %U", r)}
			}
			dst = utf8.AppendRune(dst, r)
			i += n
		default:
			j := i + 1
			for j < len(raw) && raw[j] != '\r' && (raw[j] != '&' || !refs) {
				j++
			}
			if err := checkChars(raw[i:j], i); err != nil {
				return nil, nil, err
			}
			dst = append(dst, raw[i:j]...)
			i = j
		}
	}
	return dst[start:], dst, nil
}

// reference reads the entity or character reference at the start of raw,
// which starts with '&': one of the five entities XML predefines, or
// &#decimal; or &#xhex; (a lower-case x only, as encoding/xml reads it).
// It returns the character and the reference's length. A character
// reference to a surrogate is U+FFFD, as encoding/xml's string(rune(n))
// makes it.
func reference(raw []byte) (rune, int, *textError) {
	semi := bytes.IndexByte(raw, ';')
	if semi < 0 {
		return 0, 0, &textError{0, "invalid character entity (no semicolon)"}
	}
	ref := raw[1:semi]
	switch string(ref) {
	case "lt":
		return '<', semi + 1, nil
	case "gt":
		return '>', semi + 1, nil
	case "amp":
		return '&', semi + 1, nil
	case "apos":
		return '\'', semi + 1, nil
	case "quot":
		return '"', semi + 1, nil
	}
	if r, ok := charRef(ref); ok {
		if !utf8.ValidRune(r) {
			r = utf8.RuneError
		}
		return r, semi + 1, nil
	}
	return 0, 0, &textError{0, "invalid character entity &" + clip(ref) + ";"}
}

// charRef reads the number of a character reference, ref being what is
// between '&' and ';'. It fails unless the number has digits only and is
// at most utf8.MaxRune.
func charRef(ref []byte) (rune, bool) {
	if len(ref) < 2 || ref[0] != '#' {
		return 0, false
	}
	digits, base := ref[1:], rune(10)
	if digits[0] == 'x' {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 {
		return 0, false
	}
	var r rune
	for _, c := range digits {
		var d rune
		switch {
		case '0' <= c && c <= '9':
			d = rune(c - '0')
		case base == 16 && 'a' <= c && c <= 'f':
			d = rune(c-'a') + 10
		case base == 16 && 'A' <= c && c <= 'F':
			d = rune(c-'A') + 10
		default:
			return 0, false
		}
		// Leading zeros are allowed, so the value, not the length, is
		// bounded.
		if r = r*base + d; r > utf8.MaxRune {
			return 0, false
		}
	}
	return r, true
}

// checkChars fails on the first byte of b that is not UTF-8 or not an XML
// character; at is b's offset in the raw text.
func checkChars(b []byte, at int) *textError {
	for i := 0; i < len(b); {
		if c := b[i]; c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return &textError{at + i, fmt.Sprintf("illegal character code %U", rune(c))}
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return &textError{at + i, "invalid UTF-8"}
		}
		if !isChar(r) {
			return &textError{at + i, fmt.Sprintf("illegal character code %U", r)}
		}
		i += n
	}
	return nil
}

// isChar tells whether r is in XML 1.0's Char production.
func isChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= utf8.MaxRune
}
