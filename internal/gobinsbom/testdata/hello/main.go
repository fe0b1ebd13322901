// A binary linking one module besides the standard library, as the
// lifecycle links its own: the fixture the SBOM is read from.
package main

import (
	"fmt"

	"github.com/sclevine/spec"
)

func main() { fmt.Println(spec.Flat != nil) }
