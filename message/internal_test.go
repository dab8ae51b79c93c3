package message

import "testing"

func TestIDFromLocation(t *testing.T) {
	for loc, want := range map[string]string{
		"https://outlook.office.com/api/v2.0/Users('a@b')/Messages('AAMk=')/Attachments('AAMkADI5MAAIT3drCAAABEgAQANAqbAe7qaROhYdTnUQwXm0=')": "AAMkADI5MAAIT3drCAAABEgAQANAqbAe7qaROhYdTnUQwXm0=",
		"http://127.0.0.1/api/v2.0/Users('x')/Messages('y')/Attachments('a%2Fb')":                                                             "a/b",
		"": "", "https://x/Attachments(": "", "Attachments('open": "open",
	} {
		if got := idFromLocation(loc); got != want {
			t.Errorf("idFromLocation(%q) = %q, want %q", loc, got, want)
		}
	}
}

func FuzzIDFromLocation(f *testing.F) {
	f.Add("https://outlook.office.com/api/v2.0/Users('a@b')/Messages('m')/Attachments('id')")
	f.Add("Attachments('%zz')")
	f.Fuzz(func(t *testing.T, loc string) { idFromLocation(loc) })
}
