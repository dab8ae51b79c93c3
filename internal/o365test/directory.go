package o365test

import (
	"fmt"
	"math/rand/v2"

	"github.com/go-o365/o365/graphtest"
)

// Directory makes n distinct users for benchmarks, with every default
// property set and realistic lengths, some names outside ASCII; upn names
// user i from its given name and surname. The same n gives the same users
// on every run.
func Directory(n int, upn func(i int, given, surname string) string) []graphtest.User {
	given := []string{"Adele", "Alex", "Allan", "Debra", "Diego", "Emily", "Enrico", "Grady", "Henrietta", "Isaiah", "Johanna", "Joni", "Lee", "Lidia", "Lynne", "Megan", "Miriam", "Nestor", "Patti", "Pradeep", "Zoë", "José", "Łukasz", "Søren"}
	surnames := []string{"Vance", "Wilber", "Deyoung", "Berger", "Siciliani", "Braden", "Cattaneo", "Archie", "Mueller", "Langer", "Lauer", "Sherman", "Gu", "Holloway", "Valdez", "Bowen", "Graham", "Wilke", "Fernandez", "Gupta", "Müller", "García-Núñez", "Østergaard", "Nakamura"}
	titles := []string{"Retail Manager", "Marketing Assistant", "Corporate Security Officer", "Product Manager", "Senior Engineer", "HR Manager", "Director of Operations", "General Counsel", "Sales Representative", "Research and Development Program Manager"}
	offices := []string{"18/2111", "131/1104", "20/1101", "131/2103", "98/2202", "12/1110", "19/3123", "14/1108"}
	langs := []string{"en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "ja-JP", "pt-BR", "it-IT"}
	rng := rand.New(rand.NewPCG(1, 2))
	users := make([]graphtest.User, n)
	for i := range users {
		g, s := given[rng.IntN(len(given))], surnames[rng.IntN(len(surnames))]
		name := upn(i, g, s)
		users[i] = graphtest.User{
			ID:                fmt.Sprintf("%08x-%04x-4%03x-a%03x-%012x", rng.Uint32(), rng.IntN(1<<16), rng.IntN(1<<12), rng.IntN(1<<12), rng.Int64N(1<<48)),
			DisplayName:       g + " " + s,
			GivenName:         g,
			Surname:           s,
			Mail:              name,
			UserPrincipalName: name,
			JobTitle:          titles[rng.IntN(len(titles))],
			MobilePhone:       fmt.Sprintf("+1 425 555 %04d", rng.IntN(10000)),
			OfficeLocation:    offices[rng.IntN(len(offices))],
			PreferredLanguage: langs[rng.IntN(len(langs))],
			BusinessPhones:    []string{fmt.Sprintf("+1 206 555 %04d", rng.IntN(10000))},
		}
	}
	return users
}
