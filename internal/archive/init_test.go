package archive_test

import (
	"testing"

	"github.com/sclevine/spec"
	"github.com/sclevine/spec/report"
)

func TestUnit(t *testing.T) {
	suite := spec.New("archive", spec.Report(report.Terminal{}))
	suite("Archive", testArchive)
	suite.Run(t)
}
