package toolchain_test

import (
	"testing"

	"github.com/sclevine/spec"
	"github.com/sclevine/spec/report"
)

func TestUnit(t *testing.T) {
	suite := spec.New("toolchain", spec.Report(report.Terminal{}))
	suite("Request", testRequest)
	suite("Target", testTarget)
	suite("Resolver", testResolver)
	suite("Env", testEnv)
	suite("InstallLayer", testInstallLayer)
	suite("SBOM", testSBOM)
	suite.Run(t)
}
