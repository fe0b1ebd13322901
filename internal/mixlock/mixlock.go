// Package mixlock reads mix.lock without running it: mix.lock is an Elixir
// map literal, and evaluating it would run whatever code a tree put there.
// The reader knows the few term forms Mix writes (maps, tuples, lists,
// keyword lists, strings, atoms, numbers) and nothing else.
package mixlock

import (
	"fmt"
	"sort"
	"strings"
)

// SCMs of locked entries.
const (
	SCMHex = "hex"
	SCMGit = "git"
)

// Entry is one locked dependency.
type Entry struct {
	Name string // the key in mix.lock
	SCM  string // hex, git, or the SCM atom of another kind
	// Hex: the package (may differ from Name), version, the inner and the
	// outer checksums (the outer one is the tarball's sha256) and repo.
	Package  string
	Version  string
	Inner    string
	Outer    string
	Repo     string
	Managers []string
	// Git: the repository and the locked commit, with the branch, tag or
	// ref option when mix.exs gave one.
	URL    string
	Ref    string
	Branch string
	Tag    string
}

// Parse reads a mix.lock. Entries of an unknown shape are kept with their
// name and SCM only; the result is sorted by name.
func Parse(data []byte) ([]Entry, error) {
	p := &parser{src: string(data)}
	v, err := p.term(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.pos < len(p.src) {
		return nil, p.errorf("unexpected %q after the map", p.src[p.pos])
	}
	m, ok := v.(mapTerm)
	if !ok {
		return nil, fmt.Errorf("mix.lock: not a map")
	}
	var out []Entry
	for _, kv := range m {
		name, ok := keyName(kv.key)
		if !ok {
			return nil, fmt.Errorf("mix.lock: a key is not a name")
		}
		out = append(out, entry(name, kv.val))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func keyName(k any) (string, bool) {
	switch k := k.(type) {
	case string:
		return k, true
	case atom:
		return string(k), true
	}
	return "", false
}

func entry(name string, v any) Entry {
	e := Entry{Name: name}
	t, ok := v.(tuple)
	if !ok || len(t) == 0 {
		return e
	}
	scm, _ := t[0].(atom)
	e.SCM = string(scm)
	str := func(i int) string {
		if i < len(t) {
			s, _ := t[i].(string)
			return s
		}
		return ""
	}
	switch e.SCM {
	case SCMHex:
		// {:hex, :pkg, "vsn", "inner", [:mix], [deps], "repo", "outer"}
		if a, ok := at(t, 1).(atom); ok {
			e.Package = string(a)
		}
		e.Version, e.Inner, e.Repo, e.Outer = str(2), str(3), str(6), str(7)
		if l, ok := at(t, 4).(list); ok {
			for _, m := range l {
				if a, ok := m.(atom); ok {
					e.Managers = append(e.Managers, string(a))
				}
			}
		}
		if e.Package == "" {
			e.Package = name
		}
	case SCMGit:
		// {:git, "url", "sha", [branch: "main"]}
		e.URL, e.Ref = str(1), str(2)
		if l, ok := at(t, 3).(list); ok {
			for _, o := range l {
				kv, ok := o.(tuple)
				if !ok || len(kv) != 2 {
					continue
				}
				k, _ := kv[0].(atom)
				s, _ := kv[1].(string)
				switch k {
				case "branch":
					e.Branch = s
				case "tag":
					e.Tag = s
				}
			}
		}
	}
	return e
}

func at(t tuple, i int) any {
	if i < len(t) {
		return t[i]
	}
	return nil
}

// The terms.
type (
	atom    string
	tuple   []any
	list    []any
	mapTerm []pair
	pair    struct{ key, val any }
	number  string
)

// maxDepth bounds nesting, so a hostile file cannot exhaust the stack.
const maxDepth = 64

type parser struct {
	src string
	pos int
}

func (p *parser) errorf(format string, args ...any) error {
	line := 1 + strings.Count(p.src[:p.pos], "\n")
	return fmt.Errorf("mix.lock line %d: %s", line, fmt.Sprintf(format, args...))
}

func (p *parser) space() {
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			p.pos++
		case c == '#':
			for p.pos < len(p.src) && p.src[p.pos] != '\n' {
				p.pos++
			}
		default:
			return
		}
	}
}

func (p *parser) peek() byte {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

func (p *parser) term(depth int) (any, error) {
	if depth > maxDepth {
		return nil, p.errorf("nested too deep")
	}
	p.space()
	if p.pos >= len(p.src) {
		return nil, p.errorf("unexpected end")
	}
	c := p.src[p.pos]
	switch {
	case c == '%':
		p.pos++
		if p.peek() != '{' {
			return nil, p.errorf("expected { after %%")
		}
		p.pos++
		var m mapTerm
		err := p.items('}', depth, func() error {
			k, v, err := p.pairItem(depth, true)
			m = append(m, pair{k, v})
			return err
		})
		return m, err
	case c == '{':
		p.pos++
		var t tuple
		err := p.items('}', depth, func() error {
			v, err := p.term(depth + 1)
			t = append(t, v)
			return err
		})
		return t, err
	case c == '[':
		p.pos++
		var l list
		err := p.items(']', depth, func() error {
			if p.keywordAhead() {
				k, v, err := p.pairItem(depth, false)
				l = append(l, tuple{k, v})
				return err
			}
			v, err := p.term(depth + 1)
			l = append(l, v)
			return err
		})
		return l, err
	case c == '"':
		return p.str()
	case c == ':':
		p.pos++
		if p.peek() == '"' {
			s, err := p.str()
			return atom(s), err
		}
		id := p.ident()
		if id == "" {
			return nil, p.errorf("bad atom")
		}
		return atom(id), nil
	case c == '-' || (c >= '0' && c <= '9'):
		start := p.pos
		p.pos++
		for p.pos < len(p.src) && strings.IndexByte("0123456789_.xXabcdefABCDEF", p.src[p.pos]) >= 0 {
			p.pos++
		}
		return number(p.src[start:p.pos]), nil
	default:
		id := p.ident()
		switch id {
		case "true", "false", "nil":
			return atom(id), nil
		case "":
			return nil, p.errorf("unexpected %q", c)
		}
		return nil, p.errorf("unexpected %q (mix.lock holds no code)", id)
	}
}

// items reads comma-separated items up to close, allowing a trailing comma.
func (p *parser) items(close byte, depth int, item func() error) error {
	for {
		p.space()
		if p.peek() == close {
			p.pos++
			return nil
		}
		if err := item(); err != nil {
			return err
		}
		p.space()
		switch p.peek() {
		case ',':
			p.pos++
		case close:
			p.pos++
			return nil
		default:
			if p.pos >= len(p.src) {
				return p.errorf("unexpected end, expected %q", close)
			}
			return p.errorf("unexpected %q, expected ',' or %q", p.src[p.pos], close)
		}
	}
}

// keywordAhead is true at `name:` or `"name":` followed by a space.
func (p *parser) keywordAhead() bool {
	save := p.pos
	defer func() { p.pos = save }()
	if p.peek() == '"' {
		if _, err := p.str(); err != nil {
			return false
		}
	} else if p.ident() == "" {
		return false
	}
	return p.peek() == ':' && p.pos+1 < len(p.src) && isSpace(p.src[p.pos+1])
}

// pairItem reads `key: value` or, in a map, `key => value`.
func (p *parser) pairItem(depth int, arrow bool) (any, any, error) {
	p.space()
	if p.keywordAhead() {
		var k string
		if p.peek() == '"' {
			k, _ = p.str()
		} else {
			k = p.ident()
		}
		p.pos++ // ':'
		v, err := p.term(depth + 1)
		return atom(k), v, err
	}
	if !arrow {
		return nil, nil, p.errorf("expected a keyword")
	}
	k, err := p.term(depth + 1)
	if err != nil {
		return nil, nil, err
	}
	p.space()
	if !strings.HasPrefix(p.src[p.pos:], "=>") {
		return nil, nil, p.errorf("expected =>")
	}
	p.pos += 2
	v, err := p.term(depth + 1)
	return k, v, err
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (p *parser) ident() string {
	start := p.pos
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == '_' || c == '@' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (p.pos > start && c >= '0' && c <= '9') {
			p.pos++
			continue
		}
		if p.pos > start && (c == '?' || c == '!') {
			p.pos++
		}
		break
	}
	return p.src[start:p.pos]
}

// str reads a double-quoted string with the escapes Mix writes; it refuses
// interpolation, which would be code.
func (p *parser) str() (string, error) {
	p.pos++ // opening quote
	var b strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch c {
		case '"':
			p.pos++
			return b.String(), nil
		case '\\':
			if p.pos+1 >= len(p.src) {
				return "", p.errorf("unterminated string")
			}
			e := p.src[p.pos+1]
			p.pos += 2
			switch e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case '#', '"', '\\':
				b.WriteByte(e)
			default:
				b.WriteByte('\\')
				b.WriteByte(e)
			}
		case '#':
			if p.pos+1 < len(p.src) && p.src[p.pos+1] == '{' {
				return "", p.errorf("string interpolation (mix.lock holds no code)")
			}
			b.WriteByte(c)
			p.pos++
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	return "", p.errorf("unterminated string")
}
