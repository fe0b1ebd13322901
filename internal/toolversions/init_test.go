package toolversions_test

import (
	"testing"

	"github.com/sclevine/spec"
	"github.com/sclevine/spec/report"
)

func TestUnit(t *testing.T) {
	suite := spec.New("toolversions", spec.Report(report.Terminal{}))
	suite("Parse", testParse)
	suite("ParseMise", testParseMise)
	suite("MixElixir", testMixElixir)
	suite.Run(t)
}
