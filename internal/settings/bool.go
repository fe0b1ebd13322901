package settings

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

// Bool reads a yes-or-no setting, the one way every boolean setting is
// read: 1, true, yes and 0, false, no, in any case, blanks around ignored.
// ok is false when the setting has no value (unset or empty, and no
// default). Anything else is the user's mistake, said in one line, rather
// than a guess either way.
func (l Lookup) Bool(name string) (value, ok bool, err error) {
	v := strings.TrimSpace(l.Get(name))
	switch strings.ToLower(v) {
	case "":
		return false, false, nil
	case "1", "true", "yes":
		return true, true, nil
	case "0", "false", "no":
		return false, true, nil
	}
	return false, false, usererr.New("Invalid setting",
		fmt.Sprintf("%s=%s is neither true nor false", name, shown(v)),
		"set it to true, false, 1, 0, yes or no (in any case), or unset it")
}

// shown quotes a value the error line would otherwise split or hide.
func shown(v string) string {
	if strings.ContainsFunc(v, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) }) {
		return strconv.Quote(v)
	}
	return v
}
