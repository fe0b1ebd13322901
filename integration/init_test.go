//go:build integration

// Package integration builds the apps in testdata/ with `pack build` and our
// builder through a real container engine, runs each image and asks it over
// HTTP on 127.0.0.1. scripts/test.sh sets it up and runs it.
package integration

import (
	"testing"

	"github.com/sclevine/spec"
	"github.com/sclevine/spec/report"
)

func TestIntegration(t *testing.T) {
	suite := spec.New("integration", spec.Report(report.Terminal{}), spec.Sequential())
	suite("Release", testRelease)
	suite.Run(t)
}
