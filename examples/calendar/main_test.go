package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOfflineCalendar(t *testing.T) {
	var out bytes.Buffer
	// A fixed week, so the output is known: Monday 3 March 2025.
	require.NoError(t, offline(context.Background(), &out, time.Date(2025, 3, 5, 20, 0, 0, 0, time.UTC)))
	text := out.String()
	t.Log(text)
	for _, want := range []string{
		"Signed in as AdeleV@contoso.onmicrosoft.com\n",
		`Created "Weekly sync (o365 demo)": seriesMaster, on Tuesdays and Thursdays 10:00–10:30 (Pacific Standard Time), from 2025-03-04, 8 times`,
		"AlexW@contoso.onmicrosoft.com has the invitation from AdeleV@contoso.onmicrosoft.com (notResponded, shown as tentative)",
		"MeganB@contoso.onmicrosoft.com has the invitation from AdeleV@contoso.onmicrosoft.com (notResponded, shown as tentative)",
		"This week (Mon 03 Mar to Sun 09 Mar):\n" +
			"  Tue 04 Mar 10:00–10:30  Weekly sync (o365 demo) (occurrence)\n" +
			"  Thu 06 Mar 10:00–10:30  Weekly sync (o365 demo) (occurrence)\n",
		"Suggested times for a one-hour meeting of everyone:\n" +
			"  Wed 05 Mar 08:00–09:00  (confidence 100%)\n",
		"Free/busy on Tue 04 Mar, 08:00–17:00",
		"Tracking this week: the first delta round holds 2 events\n" +
			`Cancelled "Weekly sync (o365 demo)"` + "\n" +
			"The next delta round: 2 removed, 0 changed\n",
	} {
		assert.Contains(t, text, want)
	}
	assert.Regexp(t, `AlexW@contoso.onmicrosoft.com\s+required\s+accepted\n`, text)
	assert.Regexp(t, `MeganB@contoso.onmicrosoft.com\s+optional\s+tentativelyAccepted\n`, text)
	assert.Regexp(t, `AdeleV@contoso.onmicrosoft.com\s+002000000\s+busy 10:00–10:30 Weekly sync`, text)
	assert.Regexp(t, `AlexW@contoso.onmicrosoft.com\s+222000000\s+busy 08:00–11:00 Product training; busy 10:00–10:30 Weekly sync`, text)
	assert.Regexp(t, `MeganB@contoso.onmicrosoft.com\s+001000000\s+tentative 10:00–10:30 Weekly sync`, text)
}

func TestMondayOf(t *testing.T) {
	for in, want := range map[string]string{
		"2025-03-03": "2025-03-03", "2025-03-05": "2025-03-03", "2025-03-09": "2025-03-03", "2025-03-10": "2025-03-10",
	} {
		d, _ := time.Parse(time.DateOnly, in)
		assert.Equal(t, want, mondayOf(d.Add(15*time.Hour)).Format(time.DateOnly), in)
	}
}
