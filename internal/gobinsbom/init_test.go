package gobinsbom_test

import (
	"testing"

	"github.com/sclevine/spec"
	"github.com/sclevine/spec/report"
)

func TestUnit(t *testing.T) {
	suite := spec.New("gobinsbom", spec.Report(report.Terminal{}))
	suite("SBOM", testSBOM)
	suite.Run(t)
}
