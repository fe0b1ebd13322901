package settings

import (
	"sort"
	"strings"

	"github.com/heroku/color"
	"github.com/paketo-buildpacks/libpak/v2"
	"github.com/paketo-buildpacks/libpak/v2/log"
)

// logTable prints libpak's settings table in libpak's layout, but with the
// values lookup gives: libpak's own reads the process environment only, so
// a platform variable (pack build -e, /platform/env) showed as the default
// while the build used it.
func logTable(logger log.Logger, configs []libpak.BuildModuleConfiguration, lookup Lookup) {
	configs = append([]libpak.BuildModuleConfiguration(nil), configs...)
	sort.Slice(configs, func(i, j int) bool { return configs[i].Name < configs[j].Name })
	var build, launch, unknown []libpak.BuildModuleConfiguration
	nameWidth, valueWidth := 0, 0
	for _, c := range configs {
		nameWidth = max(nameWidth, len(c.Name))
		valueWidth = max(valueWidth, len(lookup.Get(c.Name)))
		if c.Build {
			build = append(build, c)
		}
		if c.Launch {
			launch = append(launch, c)
		}
		if !c.Build && !c.Launch {
			unknown = append(unknown, c)
		}
	}
	row := func(c libpak.BuildModuleConfiguration) string {
		return tableRow(c, lookup.Get(c.Name), nameWidth, valueWidth)
	}
	logSection(logger, "Build Configuration:", build, row)
	logSection(logger, "Launch Configuration:", launch, row)
	logSection(logger, "Unknown Configuration:", unknown, row)
}

func logSection(logger log.Logger, title string, configs []libpak.BuildModuleConfiguration, row func(libpak.BuildModuleConfiguration) string) {
	if len(configs) == 0 {
		return
	}
	logger.Header(color.New(color.Faint).Sprint(title))
	for _, c := range configs {
		logger.Body(row(c))
	}
}

// tableRow is libpak's "$NAME  value  description", padded to the widest
// name and value.
func tableRow(c libpak.BuildModuleConfiguration, value string, nameWidth, valueWidth int) string {
	var sb strings.Builder
	sb.WriteString("$" + c.Name + strings.Repeat(" ", nameWidth-len(c.Name)))
	sb.WriteString("  " + value + strings.Repeat(" ", valueWidth-len(value)))
	if valueWidth > 0 {
		sb.WriteString("  ")
	}
	sb.WriteString(c.Description)
	return sb.String()
}
