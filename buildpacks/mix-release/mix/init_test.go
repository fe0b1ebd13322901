package mix_test

import (
	"testing"

	"github.com/sclevine/spec"
	"github.com/sclevine/spec/report"
)

func TestUnit(t *testing.T) {
	suite := spec.New("mix-release", spec.Report(report.Terminal{}))
	suite("Detect", testDetect)
	suite("Build", testBuild)
	suite("ReleaseName", testReleaseName)
	suite("Manifest", testManifest)
	suite("LayeredRelease", testLayeredRelease)
	suite("NoChange", testNoChange)
	suite("Procfile", testProcfile)
	suite("Key", testKey)
	suite("Assets", testAssets)
	suite("AssetToolsCache", testAssetToolsCache)
	suite("LaunchEnv", testLaunchEnv)
	suite("WebGuard", testWebGuard)
	suite("Cluster", testCluster)
	suite.Run(t)
}
