package api_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/go-o365/o365/api"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2024, time.March, 5, 10, 0, 0, 0, time.UTC)
	httpDate := func(d time.Duration) string { return now.Add(d).Format(http.TimeFormat) }

	tests := []struct {
		name   string
		value  string
		want   time.Duration
		wantOK bool
	}{
		{name: "absent", value: "", want: 0, wantOK: false},
		{name: "blank", value: "   ", want: 0, wantOK: false},
		{name: "seconds", value: "120", want: 120 * time.Second, wantOK: true},
		{name: "zero seconds", value: "0", want: 0, wantOK: true},
		{name: "padded seconds", value: " 7 ", want: 7 * time.Second, wantOK: true},
		{name: "fractional seconds from Graph's throttling docs", value: "2.128", want: 2128 * time.Millisecond, wantOK: true},
		{name: "sub-second", value: "0.5", want: 500 * time.Millisecond, wantOK: true},
		{name: "HTTP date in the future", value: httpDate(90 * time.Second), want: 90 * time.Second, wantOK: true},
		{name: "HTTP date an hour ahead", value: httpDate(time.Hour), want: time.Hour, wantOK: true},
		{name: "HTTP date now", value: httpDate(0), want: 0, wantOK: true},
		{name: "HTTP date in the past", value: httpDate(-time.Hour), want: 0, wantOK: true},
		{name: "RFC 850 date", value: now.Add(30 * time.Second).Format(time.RFC850), want: 30 * time.Second, wantOK: true},
		{name: "ANSI C date", value: now.Add(45 * time.Second).Format(time.ANSIC), want: 45 * time.Second, wantOK: true},
		{name: "garbage", value: "soon", want: 0, wantOK: false},
		{name: "seconds with unit", value: "10s", want: 0, wantOK: false},
		{name: "almost a date", value: "Tue, 32 Mar 2024 10:00:00 GMT", want: 0, wantOK: false},
		{name: "negative", value: "-5", want: 0, wantOK: false},
		{name: "negative fraction", value: "-0.001", want: 0, wantOK: false},
		{name: "huge", value: "99999999999999999999", want: 0, wantOK: false},
		{name: "huge exponent", value: "1e300", want: 0, wantOK: false},
		{name: "out of float range", value: "1e400", want: 0, wantOK: false},
		{name: "NaN", value: "NaN", want: 0, wantOK: false},
		{name: "Inf", value: "Inf", want: 0, wantOK: false},
		{name: "+Inf", value: "+Inf", want: 0, wantOK: false},
		{name: "-Inf", value: "-Inf", want: 0, wantOK: false},
		{name: "infinity", value: "infinity", want: 0, wantOK: false},
		{name: "largest accepted", value: "2147483648", want: (1 << 31) * time.Second, wantOK: true},
		{name: "just beyond the bound", value: "2147483649", want: 0, wantOK: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := api.ParseRetryAfter(tt.value, now)
			assert.Equal(t, tt.wantOK, ok, "ok for %q", tt.value)
			assert.Equal(t, tt.want, got, "duration for %q", tt.value)
			assert.GreaterOrEqual(t, got, time.Duration(0))
		})
	}
}

func TestParseRetryAfterDateIsRelativeToNow(t *testing.T) {
	date := "Wed, 21 Oct 2015 07:28:00 GMT"
	at := time.Date(2015, time.October, 21, 7, 28, 0, 0, time.UTC)
	d, ok := api.ParseRetryAfter(date, at.Add(-10*time.Second))
	assert.True(t, ok)
	assert.Equal(t, 10*time.Second, d)

	// The same header read in another time zone means the same instant.
	d, ok = api.ParseRetryAfter(date, at.Add(-time.Minute).In(time.FixedZone("UTC+5", 5*3600)))
	assert.True(t, ok)
	assert.Equal(t, time.Minute, d)
}
