package teams_test

import (
	"fmt"

	"github.com/go-o365/o365/teams"
)

// Mention writes an @mention the way Graph needs it: the <at> tag in the
// HTML body and the matching entry of Mentions.
func ExampleNewMessage_Mention() {
	msg := teams.HTML("Please review, ").
		Mention("ef1c916a-3135-4417-ba27-8eb7bd084193", "Jane Smith").
		Append(" and ").
		Mention("8ea0e38b-efb3-4757-924a-5f94061cf8c2", "Robin Kline")
	fmt.Println(msg.Body.ContentType)
	fmt.Println(msg.Body.Content)
	for _, m := range msg.Mentions {
		fmt.Println(m.ID, m.MentionText, m.Mentioned.User.ID)
	}
	// Output:
	// html
	// Please review, <at id="0">Jane Smith</at> and <at id="1">Robin Kline</at>
	// 0 Jane Smith ef1c916a-3135-4417-ba27-8eb7bd084193
	// 1 Robin Kline 8ea0e38b-efb3-4757-924a-5f94061cf8c2
}

// ISODuration writes the durations Graph's presence calls take.
func ExampleISODuration() {
	fmt.Println(teams.ISODuration(8*60*60*1e9), teams.ISODuration(90*60*1e9))
	// Output: PT8H PT1H30M
}
