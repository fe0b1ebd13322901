// Package versions parses the Erlang/OTP and Elixir versions users write in
// project files and picks the build that satisfies them.
package versions

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
)

// Version is a release number such as 1.18.4, 26.2.5.1 or 1.18.0-rc.1.
// Segments may be partial (1.18, 27) when it comes from a user request.
type Version struct {
	Segments []int
	Pre      string
}

func (v Version) String() string {
	var b strings.Builder
	for i, s := range v.Segments {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(strconv.Itoa(s))
	}
	if v.Pre != "" {
		b.WriteByte('-')
		b.WriteString(v.Pre)
	}
	return b.String()
}

// Major returns the first segment, which is what OTP builds are keyed by.
func (v Version) Major() int { return v.segment(0) }

func (v Version) segment(i int) int {
	if i < len(v.Segments) {
		return v.Segments[i]
	}
	return 0
}

// Compare orders a and b, returning -1, 0 or +1. Missing segments count as
// zero so that 27 and 27.0 are the same release, and a pre-release sorts
// before its release.
func Compare(a, b Version) int {
	for i := range max(len(a.Segments), len(b.Segments)) {
		if c := cmp.Compare(a.segment(i), b.segment(i)); c != 0 {
			return c
		}
	}
	return comparePre(a.Pre, b.Pre)
}

func comparePre(a, b string) int {
	switch {
	case a == b:
		return 0
	case a == "":
		return 1
	case b == "":
		return -1
	}
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := range min(len(as), len(bs)) {
		if c := compareIdent(as[i], bs[i]); c != 0 {
			return c
		}
	}
	if c := cmp.Compare(len(as), len(bs)); c != 0 {
		return c
	}
	// Only spellings such as rc01 and rc1 get here; falling back to the
	// text keeps the order total so sorting stays deterministic.
	return strings.Compare(a, b)
}

// compareIdent orders pre-release identifiers naturally, so OTP's rc2
// sorts before rc10 as well as Elixir's rc.2 before rc.10 does.
func compareIdent(a, b string) int {
	for a != "" && b != "" {
		ra, rb := leadingRun(a), leadingRun(b)
		da, db := isDigit(ra[0]), isDigit(rb[0])
		var c int
		switch {
		case da && db:
			c = compareDigits(ra, rb)
		case da:
			c = -1 // semver: numeric identifiers precede alphanumeric ones
		case db:
			c = 1
		default:
			c = strings.Compare(ra, rb)
		}
		if c != 0 {
			return c
		}
		a, b = a[len(ra):], b[len(rb):]
	}
	return cmp.Compare(len(a), len(b))
}

func leadingRun(s string) string {
	d := isDigit(s[0])
	i := 1
	for i < len(s) && isDigit(s[i]) == d {
		i++
	}
	return s[:i]
}

// compareDigits compares decimal strings of any length without overflow.
func compareDigits(a, b string) int {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if c := cmp.Compare(len(a), len(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// ParseError reports a version a user wrote that cannot be understood,
// with examples of what would work.
type ParseError struct {
	Kind     string // "Erlang/OTP" or "Elixir"
	Input    string
	Examples string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("unparsable %s version %q: use a version such as %s", e.Kind, e.Input, e.Examples)
}

func otpError(s string) error {
	return &ParseError{Kind: "Erlang/OTP", Input: s, Examples: "27, 27.3 or 27.3.4"}
}

func elixirError(s string) error {
	return &ParseError{Kind: "Elixir", Input: s, Examples: "1.18, 1.18.4 or ~> 1.17"}
}

// ParseOTP parses an OTP version as written in .tool-versions files or
// build index names: 27, 27.3, 26.2.5.1, OTP-27.3.4, OTP-28.0-rc1.
func ParseOTP(s string) (Version, error) {
	t := strings.TrimSpace(s)
	rest := t
	if len(rest) >= 4 && strings.EqualFold(rest[:4], "OTP-") {
		rest = rest[4:]
	}
	main, pre, hasPre := strings.Cut(rest, "-")
	// OTP patch releases add a fourth segment (26.2.5.1).
	segs, ok := parseSegments(main, 1, 4)
	if !ok || (hasPre && !validPre(pre)) {
		return Version{}, otpError(t)
	}
	return Version{Segments: segs, Pre: pre}, nil
}

// parseElixirVersion parses 1.18, 1.18.4 or 1.18.0-rc.1; Elixir's own
// parser requires three segments for a pre-release, and so do we.
func parseElixirVersion(s string) (Version, bool) {
	main, pre, hasPre := strings.Cut(s, "-")
	segs, ok := parseSegments(main, 2, 3)
	if !ok || (hasPre && (len(segs) != 3 || !validPre(pre))) {
		return Version{}, false
	}
	return Version{Segments: segs, Pre: pre}, true
}

func parseSegments(s string, minN, maxN int) ([]int, bool) {
	parts := strings.Split(s, ".")
	if len(parts) < minN || len(parts) > maxN {
		return nil, false
	}
	segs := make([]int, len(parts))
	for i, p := range parts {
		n, ok := parseNumber(p)
		if !ok {
			return nil, false
		}
		segs[i] = n
	}
	return segs, true
}

// parseNumber rejects leading zeros so that String gives back what was
// parsed, and long digit runs so that no value can overflow.
func parseNumber(p string) (int, bool) {
	if p == "" || len(p) > 9 || (len(p) > 1 && p[0] == '0') {
		return 0, false
	}
	for i := range len(p) {
		if !isDigit(p[i]) {
			return 0, false
		}
	}
	n, err := strconv.Atoi(p)
	return n, err == nil
}

func validPre(s string) bool {
	for id := range strings.SplitSeq(s, ".") {
		if id == "" {
			return false
		}
		for _, c := range []byte(id) {
			if !isDigit(c) && !('a' <= c && c <= 'z') && !('A' <= c && c <= 'Z') && c != '-' {
				return false
			}
		}
	}
	return true
}
