package versions_test

import (
	"testing"

	"github.com/sclevine/spec"
	"github.com/sclevine/spec/report"
)

func TestUnit(t *testing.T) {
	suite := spec.New("versions", spec.Report(report.Terminal{}))
	suite("Version", testVersion)
	suite("ParseOTP", testParseOTP)
	suite("ParseElixir", testParseElixir)
	suite("Requirement", testRequirement)
	suite("Resolve", testResolve)
	suite("Compatibility", testCompat)
	suite("Nearest", testNearest)
	suite.Run(t)
}
