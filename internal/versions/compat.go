package versions

// otpSupport is Elixir's published compatibility table
// (hexdocs.pm/elixir/compatibility-and-deprecations.html), kept here as
// the one place to edit when Elixir or OTP releases. A row applies from
// its Elixir version up to the next row for the same minor, which is how
// 1.14.5 came to add OTP 26.
var otpSupport = []struct {
	since    [3]int
	min, max int
}{
	{[3]int{1, 14, 0}, 23, 25},
	{[3]int{1, 14, 5}, 23, 26},
	{[3]int{1, 15, 0}, 24, 26},
	{[3]int{1, 16, 0}, 24, 26},
	{[3]int{1, 17, 0}, 25, 27},
	{[3]int{1, 18, 0}, 25, 27},
	{[3]int{1, 19, 0}, 26, 28},
	{[3]int{1, 20, 0}, 27, 29},
	{[3]int{1, 21, 0}, 27, 29},
}

// OTPRange returns the OTP majors an Elixir release supports. ok is false
// for a minor the table does not know, older or newer, since guessing
// would either refuse a working pair or allow a broken one.
func OTPRange(elixir Version) (lo, hi int, ok bool) {
	// Pre-releases count as their release: 1.18.0-rc.1 supports what 1.18.0 does.
	for _, row := range otpSupport {
		if row.since[0] == elixir.segment(0) && row.since[1] == elixir.segment(1) && elixir.segment(2) >= row.since[2] {
			lo, hi, ok = row.min, row.max, true
		}
	}
	return lo, hi, ok
}

// Compatible reports whether Elixir elixir runs on OTP major otpMajor.
func Compatible(elixir Version, otpMajor int) bool {
	lo, hi, ok := OTPRange(elixir)
	return ok && lo <= otpMajor && otpMajor <= hi
}

// RequestOTPRange returns the OTP majors that an Elixir version as asked
// for may support: a full version's own range, or for a partial one (1.14)
// the union over its patch releases. ok is false when the table does not
// know the minor.
func RequestOTPRange(elixir Version) (lo, hi int, ok bool) {
	if len(elixir.Segments) >= 3 {
		return OTPRange(elixir)
	}
	for _, row := range otpSupport {
		if row.since[0] == elixir.segment(0) && row.since[1] == elixir.segment(1) {
			if !ok || row.min < lo {
				lo = row.min
			}
			if !ok || row.max > hi {
				hi = row.max
			}
			ok = true
		}
	}
	return lo, hi, ok
}
