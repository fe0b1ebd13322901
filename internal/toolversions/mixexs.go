package toolversions

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNoElixirRequirement means mix.exs names no elixir: requirement.
var ErrNoElixirRequirement = errors.New("mix.exs has no elixir: requirement")

// MixElixir finds the Elixir requirement a mix.exs declares in its project
// keyword list (elixir: "~> 1.14") and the line it is on.
//
// Elixir is not installed when the runtimes are chosen, so the file is
// read, not run. It is tokenised the way Elixir reads it, so comments,
// strings, heredocs, sigils and character literals never look like the
// key. The value must be a string literal, or a module attribute set to
// one (@elixir_requirement "~> 1.14"); anything else is reported as an
// error for the caller to warn about. The key counts inside
// `def project`, or anywhere when there is no such function.
// ErrNoElixirRequirement is returned when there is no such key.
func MixElixir(data []byte) (requirement string, line int, err error) {
	if !isText(data) {
		return "", 0, errors.New("mix.exs is not a text file")
	}
	src := trimBOM(data)
	toks := lexElixir(src)
	lineOf := func(pos int) int { return strings.Count(src[:pos], "\n") + 1 }

	// The key counts in def project, up to the next def; the one least
	// nested wins, so an elixir: option deep inside would not shadow it.
	start, end := 0, len(toks)
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].kind == tIdent && toks[i].text == "def" && toks[i+1].kind == tIdent && toks[i+1].text == "project" {
			start = i + 2
			for j := start; j < len(toks); j++ {
				if toks[j].kind == tIdent && (toks[j].text == "def" || toks[j].text == "defp" || toks[j].text == "defmacro" || toks[j].text == "defmacrop") {
					end = j
					break
				}
			}
			break
		}
	}
	best, bestDepth, depth := -1, 0, 0
	for i := start; i < end; i++ {
		switch t := toks[i]; {
		case t.kind == tOther && (t.text == "[" || t.text == "(" || t.text == "{"):
			depth++
		case t.kind == tOther && (t.text == "]" || t.text == ")" || t.text == "}"):
			depth--
		case t.kind == tKey && t.text == "elixir" && (best < 0 || depth < bestDepth):
			best, bestDepth = i, depth
		}
	}
	if best >= 0 {
		i := best
		ln := lineOf(toks[i].pos)
		if i+1 >= len(toks) {
			return "", ln, fmt.Errorf("mix.exs line %d: elixir: has no value", ln)
		}
		v := toks[i+1]
		switch {
		case v.kind == tString && !v.interp:
			return strings.TrimSpace(v.text), ln, nil
		case v.kind == tAttr:
			// The last definition before the use is the one in effect.
			for j := i - 1; j >= 0; j-- {
				if toks[j].kind == tAttr && toks[j].text == v.text && toks[j+1].kind == tString &&
					!toks[j+1].interp && sameLine(src, toks[j].pos, toks[j+1].pos) {
					return strings.TrimSpace(toks[j+1].text), ln, nil
				}
			}
			return "", ln, fmt.Errorf("mix.exs line %d: elixir: is @%s, which is not set to a string before it", ln, v.text)
		}
		return "", ln, fmt.Errorf("mix.exs line %d: elixir: is not a string such as \"~> 1.18\"", ln)
	}
	return "", 0, ErrNoElixirRequirement
}

func sameLine(src string, a, b int) bool { return !strings.Contains(src[a:b], "\n") }

type tokKind int

const (
	tOther  tokKind = iota
	tIdent          // def, project, elixir
	tKey            // elixir: (the text without the colon)
	tString         // "..." or ~s(...): the text between the delimiters
	tAttr           // @name (the text without the @)
)

type token struct {
	kind   tokKind
	text   string
	pos    int
	interp bool // the string holds #{...}
}

// maxTokens bounds the work on hostile input; real mix.exs files have a
// few thousand.
const maxTokens = 1 << 20

type elixirLexer struct {
	src   string
	pos   int
	toks  []token
	depth int // of interpolations
}

// maxInterpolation bounds nested #{...} so hostile input cannot exhaust
// the stack; deeper ones are read as plain text.
const maxInterpolation = 64

func lexElixir(src string) []token {
	l := &elixirLexer{src: src}
	l.run(0)
	return l.toks
}

func (l *elixirLexer) emit(t token) {
	if len(l.toks) < maxTokens {
		l.toks = append(l.toks, t)
	}
}

func (l *elixirLexer) peekAt(i int) byte {
	if l.pos+i < len(l.src) {
		return l.src[l.pos+i]
	}
	return 0
}

// run lexes until the end, or, inside an interpolation (depth > 0), until
// the brace that closes it.
func (l *elixirLexer) run(depth int) {
	braces := 0
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case c == '#':
			l.skipComment()
		case c == '"' || c == '\'':
			start := l.pos
			text, interp := l.quoted()
			if c == '"' && l.peekAt(0) == ':' && isSpaceOrEnd(l.peekAt(1)) {
				// "elixir": "~> 1.14", a quoted keyword key.
				l.pos++
				l.emit(token{kind: tKey, text: text, pos: start})
				continue
			}
			if c == '"' {
				l.emit(token{kind: tString, text: text, pos: start, interp: interp})
			} else {
				l.emit(token{kind: tOther, pos: start})
			}
		case c == '~' && isLetter(l.peekAt(1)):
			start := l.pos
			if text, lower, interp, ok := l.sigil(); ok {
				kind := tOther
				if lower == 's' || lower == 'S' {
					kind = tString
				}
				l.emit(token{kind: kind, text: text, pos: start, interp: interp})
			}
		case c == '?' && l.pos+1 < len(l.src) && !l.afterIdent():
			// A character literal: ?a, ?", ?#, ?\n.
			l.pos++
			if l.src[l.pos] == '\\' {
				l.pos++
			}
			if l.pos < len(l.src) {
				l.pos = min(l.pos+utf8Len(l.src[l.pos]), len(l.src))
			}
			l.emit(token{kind: tOther, pos: l.pos})
		case c == '@' && isIdentStart(l.peekAt(1)):
			start := l.pos
			l.pos++
			name := l.ident()
			l.emit(token{kind: tAttr, text: name, pos: start})
		case c == ':' && l.peekAt(1) == ':':
			l.pos += 2
			l.emit(token{kind: tOther, pos: l.pos})
		case c == ':' && (isIdentStart(l.peekAt(1)) || l.peekAt(1) == '"' || l.peekAt(1) == '\''):
			// An atom, :elixir or :"elixir": never a key.
			start := l.pos
			l.pos++
			if l.peekAt(0) == '"' || l.peekAt(0) == '\'' {
				l.quoted()
			} else {
				l.ident()
			}
			l.emit(token{kind: tOther, pos: start})
		case isIdentStart(c):
			start := l.pos
			name := l.ident()
			if l.peekAt(0) == ':' && l.peekAt(1) != ':' && isSpaceOrEnd(l.peekAt(1)) {
				l.pos++
				l.emit(token{kind: tKey, text: name, pos: start})
			} else {
				l.emit(token{kind: tIdent, text: name, pos: start})
			}
		case c == '{' && depth > 0:
			braces++
			l.pos++
		case c == '}' && depth > 0:
			l.pos++
			if braces == 0 {
				return
			}
			braces--
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			l.pos++
		default:
			l.pos++
			l.emit(token{kind: tOther, text: l.src[l.pos-1 : l.pos], pos: l.pos - 1})
		}
	}
}

func (l *elixirLexer) afterIdent() bool {
	if l.pos == 0 {
		return false
	}
	p := l.src[l.pos-1]
	return isIdentChar(p)
}

func (l *elixirLexer) skipComment() {
	if i := strings.IndexByte(l.src[l.pos:], '\n'); i >= 0 {
		l.pos += i
	} else {
		l.pos = len(l.src)
	}
}

// ident reads a name: letters, digits, _, and a final ? or !.
func (l *elixirLexer) ident() string {
	start := l.pos
	for l.pos < len(l.src) && isIdentChar(l.src[l.pos]) {
		l.pos++
	}
	if l.pos < len(l.src) && (l.src[l.pos] == '?' || l.src[l.pos] == '!') {
		l.pos++
	}
	return l.src[start:l.pos]
}

// quoted reads a "string", 'charlist' or their heredoc forms, with
// escapes and interpolation, and returns the raw text inside.
func (l *elixirLexer) quoted() (string, bool) {
	q := l.src[l.pos]
	if l.peekAt(1) == q && l.peekAt(2) == q {
		l.pos += 3
		return l.until(strings.Repeat(string(q), 3), true, true)
	}
	l.pos++
	return l.until(string(q), true, true)
}

// sigil reads ~s(...), ~S"...", ~r/.../i and the like.
func (l *elixirLexer) sigil() (text string, name byte, interp, ok bool) {
	l.pos++ // ~
	name = l.src[l.pos]
	lower := 'a' <= name && name <= 'z'
	for l.pos < len(l.src) && isLetter(l.src[l.pos]) {
		l.pos++
	}
	open := l.peekAt(0)
	var closing string
	switch open {
	case '(':
		closing = ")"
	case '[':
		closing = "]"
	case '{':
		closing = "}"
	case '<':
		closing = ">"
	case '/', '|', '"', '\'':
		closing = string(open)
		if l.peekAt(1) == open && l.peekAt(2) == open && (open == '"' || open == '\'') {
			closing = strings.Repeat(string(open), 3)
		}
	default:
		return "", name, false, false
	}
	l.pos += len(closing)
	text, interp = l.until(closing, lower, lower)
	for l.pos < len(l.src) && isLetter(l.src[l.pos]) {
		l.pos++ // modifiers
	}
	return text, name, interp, true
}

// until reads up to the closing delimiter, skipping escaped characters and
// interpolations (which may hold strings and braces of their own).
func (l *elixirLexer) until(closing string, escapes, interpolation bool) (string, bool) {
	start := l.pos
	interp := false
	for l.pos < len(l.src) {
		switch {
		case strings.HasPrefix(l.src[l.pos:], closing):
			text := l.src[start:l.pos]
			l.pos += len(closing)
			return text, interp
		case l.src[l.pos] == '\\' && (escapes || strings.HasPrefix(l.src[l.pos+1:], closing)):
			l.pos = min(l.pos+2, len(l.src))
		case interpolation && strings.HasPrefix(l.src[l.pos:], "#{"):
			interp = true
			l.pos += 2
			if l.depth >= maxInterpolation {
				continue
			}
			saved := len(l.toks)
			l.depth++
			l.run(1)
			l.depth--
			l.toks = l.toks[:saved] // what is inside a string is not the project's
		default:
			l.pos++
		}
	}
	l.pos = len(l.src)
	return l.src[start:], interp
}

func isSpaceOrEnd(c byte) bool { return c == 0 || c == ' ' || c == '\t' || c == '\r' || c == '\n' }
func isLetter(c byte) bool     { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isIdentStart(c byte) bool { return isLetter(c) || c == '_' || c >= 0x80 }
func isIdentChar(c byte) bool  { return isIdentStart(c) || '0' <= c && c <= '9' }

func utf8Len(c byte) int {
	switch {
	case c < 0x80:
		return 1
	case c>>5 == 0x6:
		return 2
	case c>>4 == 0xe:
		return 3
	case c>>3 == 0x1e:
		return 4
	}
	return 1
}
