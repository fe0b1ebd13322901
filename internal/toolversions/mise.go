package toolversions

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ParseMise reads the [tools] table of a mise.toml or .mise.toml into
// tool → version. Entries may be a string, an array (the first version
// counts, as for .tool-versions) or an inline table with a version key.
//
// This is a purpose-built reader rather than a TOML library: it needs only
// strings, arrays and inline tables, and keeps the buildpack free of
// dependencies. Mistakes inside other tables are skipped, since mise's
// settings and tasks are no business of the build; mistakes inside [tools]
// are reported, since guessing there would build the wrong versions.
func ParseMise(data []byte) (map[string]string, error) {
	if !isText(data) {
		return nil, errors.New(`mise.toml is not a text file: remove it or write a [tools] table with lines such as elixir = "1.18.4"`)
	}
	p := &miseParser{src: trimBOM(data)}
	tools := map[string]string{}
	var table []string
	for {
		p.skipSpace(true)
		if p.eof() {
			return tools, nil
		}
		if p.peek() == '[' {
			var err error
			if table, err = p.header(); err != nil {
				// A broken header leaves unknown which table the next
				// lines belong to, so there is no safe way to go on.
				return nil, err
			}
			continue
		}
		start := p.pos
		key, err := p.key()
		path := append(table[:len(table):len(table)], key...)
		var value any
		if err == nil {
			value, err = p.entry()
		}
		if err == nil {
			err = p.endOfLine()
		}
		if err != nil {
			if len(path) > 0 && path[0] == "tools" {
				return nil, err
			}
			p.pos = start
			p.skipLine()
			continue
		}
		record(tools, path, value)
	}
}

// record stores a tool's version when path names one: tools.NAME in any of
// its spellings ([tools] NAME = ..., tools.NAME = ..., or [tools.NAME]
// version = ...).
func record(tools map[string]string, path []string, value any) {
	if len(path) < 2 || path[0] != "tools" {
		return
	}
	if len(path) > 3 || (len(path) == 3 && path[2] != "version") {
		return
	}
	v, ok := versionOf(value)
	if _, seen := tools[path[1]]; ok && !seen {
		tools[path[1]] = v
	}
}

func versionOf(value any) (string, bool) {
	switch v := value.(type) {
	case string:
		v = strings.TrimSpace(v)
		return v, v != ""
	case []any:
		if len(v) > 0 {
			return versionOf(v[0])
		}
	case map[string]any:
		return versionOf(v["version"])
	}
	return "", false
}

type miseParser struct {
	src   string
	pos   int
	depth int
}

// maxDepth bounds nested arrays and tables so hostile input cannot
// exhaust the stack.
const maxDepth = 32

func (p *miseParser) eof() bool { return p.pos >= len(p.src) }

func (p *miseParser) peek() byte {
	if p.eof() {
		return 0
	}
	return p.src[p.pos]
}

func (p *miseParser) errorf(format string, args ...any) error {
	line := strings.Count(p.src[:min(p.pos, len(p.src))], "\n") + 1
	return fmt.Errorf(`mise.toml line %d: %s: write entries such as elixir = "1.18.4" under [tools]`, line, fmt.Sprintf(format, args...))
}

// skipSpace skips blanks and, when newlines is set, line ends and comments
// too, as allowed between entries and inside arrays.
func (p *miseParser) skipSpace(newlines bool) {
	for !p.eof() {
		switch c := p.peek(); {
		case c == ' ' || c == '\t':
			p.pos++
		case newlines && (c == '\r' || c == '\n'):
			p.pos++
		case newlines && c == '#':
			p.skipLine()
		default:
			return
		}
	}
}

func (p *miseParser) skipLine() {
	if i := strings.IndexByte(p.src[p.pos:], '\n'); i >= 0 {
		p.pos += i + 1
	} else {
		p.pos = len(p.src)
	}
}

func (p *miseParser) endOfLine() error {
	p.skipSpace(false)
	if p.peek() == '#' {
		p.skipLine()
		return nil
	}
	if strings.HasPrefix(p.src[p.pos:], "\r\n") || p.peek() == '\n' || p.eof() {
		p.skipLine()
		return nil
	}
	return p.errorf("unexpected %q after the value", p.peek())
}

// header reads [table] or [[array.of.tables]]. Entries under an array of
// tables never hold tools, so its path gets a first element no key can be.
func (p *miseParser) header() ([]string, error) {
	p.pos++
	array := p.peek() == '['
	if array {
		p.pos++
	}
	path, err := p.key()
	if err != nil {
		return nil, err
	}
	p.skipSpace(false)
	closing := "]"
	if array {
		closing = "]]"
		path = append([]string{"[["}, path...)
	}
	if !strings.HasPrefix(p.src[p.pos:], closing) {
		return nil, p.errorf("table header without a closing %q", closing)
	}
	p.pos += len(closing)
	return path, p.endOfLine()
}

// key reads a dotted key such as elixir, "npm:prettier" or tools.elixir.
func (p *miseParser) key() ([]string, error) {
	var parts []string
	for {
		p.skipSpace(false)
		var part string
		if c := p.peek(); c == '"' || c == '\'' {
			s, err := p.str(false)
			if err != nil {
				return nil, err
			}
			part = s
		} else {
			start := p.pos
			for !p.eof() && isBare(p.peek()) {
				p.pos++
			}
			if p.pos == start {
				return nil, p.errorf("expected a name")
			}
			part = p.src[start:p.pos]
		}
		parts = append(parts, part)
		p.skipSpace(false)
		if p.peek() != '.' {
			return parts, nil
		}
		p.pos++
	}
}

func isBare(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
}

// entry reads "= value" after a key.
func (p *miseParser) entry() (any, error) {
	p.skipSpace(false)
	if p.peek() != '=' {
		return nil, p.errorf("expected = after the name")
	}
	p.pos++
	p.skipSpace(false)
	return p.value()
}

func (p *miseParser) value() (any, error) {
	switch p.peek() {
	case '"', '\'':
		return p.str(true)
	case '[':
		return p.nested(']', func() (any, error) { return p.value() })
	case '{':
		table := map[string]any{}
		_, err := p.nested('}', func() (any, error) {
			key, err := p.key()
			if err != nil {
				return nil, err
			}
			v, err := p.entry()
			if _, seen := table[strings.Join(key, ".")]; err == nil && !seen {
				table[strings.Join(key, ".")] = v
			}
			return v, err
		})
		return table, err
	}
	// Numbers, booleans and dates: mise wants strings, but erlang = 27 is
	// an easy slip and means what it says.
	start := p.pos
	for !p.eof() && !strings.ContainsRune(" \t\r\n,]}#", rune(p.peek())) {
		p.pos++
	}
	if p.pos == start {
		return nil, p.errorf("expected a value")
	}
	return p.src[start:p.pos], nil
}

// nested reads the comma-separated items of an array or inline table up to
// closing. Inline tables may span lines here too, as TOML 1.1 allows.
func (p *miseParser) nested(closing byte, item func() (any, error)) ([]any, error) {
	if p.depth++; p.depth > maxDepth {
		return nil, p.errorf("nested too deeply")
	}
	defer func() { p.depth-- }()
	p.pos++
	var items []any
	for {
		p.skipSpace(true)
		if p.peek() == closing {
			p.pos++
			return items, nil
		}
		v, err := item()
		if err != nil {
			return nil, err
		}
		items = append(items, v)
		p.skipSpace(true)
		switch p.peek() {
		case ',':
			p.pos++
		case closing:
			p.pos++
			return items, nil
		default:
			return nil, p.errorf("expected , or %q", closing)
		}
	}
}

// str reads a quoted string. Multi-line strings are accepted where values
// may be (mise tasks use them) but returned undecoded: only their end
// matters, since no version is written that way.
func (p *miseParser) str(multiline bool) (string, error) {
	quote := p.src[p.pos : p.pos+1]
	if triple := strings.Repeat(quote, 3); multiline && strings.HasPrefix(p.src[p.pos:], triple) {
		p.pos += 3
		start := p.pos
		for {
			if p.eof() {
				return "", p.errorf("unterminated string")
			}
			if strings.HasPrefix(p.src[p.pos:], triple) {
				break
			}
			if quote == `"` && p.peek() == '\\' {
				p.pos++
			}
			p.pos++
		}
		p.pos += 3
		return p.src[start : p.pos-3], nil
	}
	p.pos++
	start := p.pos
	for p.peek() != quote[0] {
		if p.eof() || p.peek() == '\n' {
			return "", p.errorf("unterminated string")
		}
		if quote == `"` && p.peek() == '\\' {
			p.pos++
		}
		p.pos++
	}
	p.pos++
	raw := p.src[start : p.pos-1]
	if quote == "'" {
		return raw, nil
	}
	// TOML's escapes are a subset of Go's for double-quoted text.
	s, err := strconv.Unquote(`"` + raw + `"`)
	if err != nil {
		return "", p.errorf("bad escape in %q", raw)
	}
	return s, nil
}
