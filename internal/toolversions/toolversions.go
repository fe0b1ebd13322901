// Package toolversions reads the tool versions a project pins in asdf's
// .tool-versions or mise's mise.toml.
package toolversions

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Parse reads a .tool-versions file into tool → version. asdf falls back
// through the versions on a line; a build installs one, so the first counts.
// When a tool appears twice the first line wins, as it does for asdf.
func Parse(data []byte) (map[string]string, error) {
	if !isText(data) {
		return nil, fmt.Errorf(`.tool-versions is not a text file: remove it or write lines such as "elixir 1.18.4"`)
	}
	tools := map[string]string{}
	for i, line := range strings.Split(trimBOM(data), "\n") {
		line, _, _ = strings.Cut(line, "#")
		// Fields also drops the \r of CRLF files.
		fields := strings.Fields(line)
		switch len(fields) {
		case 0:
			continue
		case 1:
			// Skipping the line would quietly build with a default the
			// user did not choose.
			return nil, fmt.Errorf(`.tool-versions line %d: %q has no version: write lines such as "elixir 1.18.4"`, i+1, fields[0])
		}
		if _, seen := tools[fields[0]]; !seen {
			tools[fields[0]] = fields[1]
		}
	}
	return tools, nil
}

func isText(data []byte) bool {
	return bytes.IndexByte(data, 0) < 0 && utf8.Valid(data)
}

// trimBOM drops the byte-order mark some Windows editors write, which
// would otherwise become part of the first tool's name.
func trimBOM(data []byte) string {
	return strings.TrimPrefix(string(data), "\ufeff")
}
