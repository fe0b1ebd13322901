package hexbuilds_test

import (
	"testing"

	"github.com/sclevine/spec"
	"github.com/sclevine/spec/report"
)

func TestUnit(t *testing.T) {
	suite := spec.New("hexbuilds", spec.Report(report.Terminal{}))
	suite("Index", testIndex)
	suite("Client", testClient)
	suite("Sources", testSources)
	suite("Mirrors", testMirrors)
	suite.Run(t)
}
