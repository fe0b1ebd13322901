package versions

import (
	"strings"
)

// Request is an Elixir version as a user asked for it: either a (possibly
// partial) version or a requirement such as "~> 1.17".
type Request struct {
	Raw         string
	Exact       *Version
	Requirement *Requirement
	// OTPMajor is set when the request pins the OTP the build was compiled
	// against, as in "1.18.4-otp-27"; zero otherwise.
	OTPMajor int
}

// Requirement is an Elixir version requirement. It follows Elixir's
// Version.match? rather than npm: "~> 1.14" allows any 1.x from 1.14 on.
type Requirement struct {
	Raw string
	// Alternatives are joined by "or"; the constraints within one are
	// joined by "and", which binds tighter.
	Alternatives [][]Constraint
}

// Constraint is one operator and operand such as ">= 1.14.0".
type Constraint struct {
	Op      string // ==, !=, >, >=, <, <=, ~>
	Version Version
}

// Longer operators come first so that ">=" is not read as ">".
var operators = []string{"~>", "==", "!=", ">=", "<=", ">", "<"}

// ParseElixir parses an Elixir version request: 1.18, v1.18.4,
// 1.18.4-otp-27, 1.18.0-rc.1, or a requirement such as "~> 1.17" or
// ">= 1.14.0 and < 1.17.0".
func ParseElixir(s string) (Request, error) {
	t := strings.TrimSpace(s)
	if isRequirement(t) {
		r, err := ParseRequirement(t)
		if err != nil {
			return Request{}, err
		}
		return Request{Raw: t, Requirement: &r}, nil
	}
	rest := strings.TrimPrefix(t, "v")
	otp := 0
	if i := strings.LastIndex(rest, "-otp-"); i >= 0 {
		n, ok := parseNumber(rest[i+len("-otp-"):])
		if !ok || n == 0 {
			return Request{}, elixirError(t)
		}
		otp, rest = n, rest[:i]
	}
	v, ok := parseElixirVersion(rest)
	if !ok {
		return Request{}, elixirError(t)
	}
	return Request{Raw: t, Exact: &v, OTPMajor: otp}, nil
}

func isRequirement(s string) bool {
	if s != "" && strings.ContainsAny(s[:1], "~=!<>") {
		return true
	}
	for _, f := range strings.Fields(s) {
		if f == "and" || f == "or" {
			return true
		}
	}
	return false
}

// ParseRequirement parses an Elixir requirement. Unlike Elixir it also
// accepts two-segment operands for every operator (">= 1.14" means
// ">= 1.14.0"): being lenient costs nothing and spares users a failed build.
func ParseRequirement(s string) (Requirement, error) {
	t := strings.TrimSpace(s)
	fields := strings.Fields(t)
	r := Requirement{Raw: t}
	var group []Constraint
	for i := 0; ; {
		if i >= len(fields) {
			return Requirement{}, elixirError(t)
		}
		op, operand := splitOperator(fields[i])
		i++
		if operand == "" {
			if i >= len(fields) {
				return Requirement{}, elixirError(t)
			}
			operand = fields[i]
			i++
		}
		v, ok := parseElixirVersion(operand)
		if !ok {
			return Requirement{}, elixirError(t)
		}
		group = append(group, Constraint{Op: op, Version: v})
		if i == len(fields) {
			r.Alternatives = append(r.Alternatives, group)
			return r, nil
		}
		switch fields[i] {
		case "and":
		case "or":
			r.Alternatives = append(r.Alternatives, group)
			group = nil
		default:
			return Requirement{}, elixirError(t)
		}
		i++
	}
}

// splitOperator splits "~>1.14" or "~>" into its operator and operand; a
// bare version means "==", as in Elixir.
func splitOperator(f string) (op, operand string) {
	for _, op := range operators {
		if strings.HasPrefix(f, op) {
			return op, f[len(op):]
		}
	}
	return "==", f
}

func (r Requirement) String() string { return r.Raw }

// Matches reports whether v satisfies r. Pre-releases match only when the
// requirement itself names one, as Hex resolves dependencies: nobody gets
// an rc by writing "~> 1.18".
func (r Requirement) Matches(v Version) bool {
	if v.Pre != "" && !r.namesPre() {
		return false
	}
	for _, group := range r.Alternatives {
		ok := len(group) > 0
		for _, c := range group {
			if !c.Matches(v) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func (r Requirement) namesPre() bool {
	for _, group := range r.Alternatives {
		for _, c := range group {
			if c.Version.Pre != "" {
				return true
			}
		}
	}
	return false
}

// Matches reports whether v satisfies this one constraint, ignoring the
// pre-release rule that applies to whole requirements.
func (c Constraint) Matches(v Version) bool {
	d := Compare(v, c.Version)
	switch c.Op {
	case "==":
		return d == 0
	case "!=":
		return d != 0
	case ">":
		return d > 0
	case ">=":
		return d >= 0
	case "<":
		return d < 0
	case "<=":
		return d <= 0
	case "~>":
		// The upper bound ignores v's pre-release so that 1.15.0-rc.1
		// stays outside "~> 1.14.1", as in Elixir.
		return d >= 0 && Compare(Version{Segments: v.Segments}, bumped(c.Version)) < 0
	}
	return false
}

// bumped is the exclusive upper bound of "~> v": the next major for 1.14,
// the next minor for 1.14.1.
func bumped(v Version) Version {
	if len(v.Segments) <= 2 {
		return Version{Segments: []int{v.segment(0) + 1}}
	}
	return Version{Segments: []int{v.segment(0), v.segment(1) + 1}}
}

// Resolve picks the newest available version that req allows. A partial
// version (1.18) stands for its newest release; a full one, or one naming
// a pre-release, only for itself.
func Resolve(req Request, available []Version) (Version, bool) {
	switch {
	case req.Requirement != nil:
		return newest(available, req.Requirement.Matches)
	case req.Exact != nil:
		return ResolveOTP(*req.Exact, available)
	}
	return Version{}, false
}

// ResolveOTP picks the newest available version that want names, with the
// same rule as Resolve: 27 and 27.3 are prefixes, while 27.3.4 means
// exactly that release (not 27.3.4.1), as asdf would install it.
func ResolveOTP(want Version, available []Version) (Version, bool) {
	if want.Pre != "" || len(want.Segments) >= 3 {
		return newest(available, func(v Version) bool {
			return Compare(v, want) == 0 && v.Pre == want.Pre
		})
	}
	return newest(available, func(v Version) bool {
		if v.Pre != "" {
			return false
		}
		for i, s := range want.Segments {
			if v.segment(i) != s {
				return false
			}
		}
		return true
	})
}

func newest(available []Version, ok func(Version) bool) (Version, bool) {
	var best Version
	found := false
	for _, v := range available {
		if ok(v) && (!found || Compare(v, best) > 0) {
			best, found = v, true
		}
	}
	return best, found
}
