// Command directory reads the organisation's directory as a directory
// client does: the signed-in user with every structural property, a
// department filtered and ordered by hire date, the licensed users, a
// search, a manager and direct reports with their job properties, and
// group memberships, direct and through nested groups.
//
// With no credentials in the environment it runs offline against the
// graphtest emulator, with a small organisation. Against a real tenant,
// set O365_CLIENT_ID, O365_CLIENT_SECRET (omit it for a public client)
// and O365_TENANT; the app needs User.Read.All and Directory.Read.All.
// Tokens are kept in o365_token.json.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/contacts"
	"github.com/go-o365/o365/internal/demo"
	"github.com/go-o365/o365/query"
)

// scopes the example needs: read the profile, everyone's full profile,
// and group memberships.
var scopes = []string{"basic", "users_all", "directory"}

func main() { demo.Main(offline, realTenant) }

func offline(ctx context.Context, w io.Writer) error {
	srv, account, err := demo.Start(ctx, w, demo.SeedOrganisation, scopes...)
	if err != nil {
		return err
	}
	defer srv.Close()
	return run(ctx, w, account, demo.Users[1].UserPrincipalName, "Marketing", demo.DemoSKU)
}

func realTenant(ctx context.Context, w io.Writer) error {
	account, err := demo.RealTenant(ctx, scopes...)
	if err != nil {
		return err
	}
	me, err := account.Directory().User(ctx, "me", contacts.WithUserProperties("department", "assignedLicenses"))
	if err != nil {
		return err
	}
	sku := ""
	if len(me.AssignedLicenses) > 0 {
		sku = me.AssignedLicenses[0].SkuID
	}
	return run(ctx, w, account, "me", me.Department, sku)
}

// run is the demo proper: colleague is whose manager and groups it reads,
// department the department it lists, sku the licence it looks for.
func run(ctx context.Context, w io.Writer, account *o365.Account, colleague, department, sku string) error {
	dir := account.Directory()
	fmt.Fprintf(w, "Signed in as %s\n\n", account.Username())

	// Every property api.User models, in one request.
	me, err := dir.User(ctx, "me", contacts.WithUserProperties(api.UserAllProperties...))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s, %s in %s (%s)\n", me.DisplayName, me.JobTitle, me.Department, me.CompanyName)
	fmt.Fprintf(w, "  employee %s (%s), hired %s\n", me.EmployeeID, me.EmployeeType, date(me.EmployeeHireDate))
	if d := me.EmployeeOrgData; d != nil {
		fmt.Fprintf(w, "  division %s, cost centre %s\n", d.Division, d.CostCenter)
	}
	fmt.Fprintf(w, "  %s, %s, usage location %s\n", me.City, me.Country, me.UsageLocation)
	fmt.Fprintf(w, "  account enabled: %s, %d licence(s)\n", yesNo(me.AccountEnabled), len(me.AssignedLicenses))
	if me.OnPremisesSyncEnabled != nil && *me.OnPremisesSyncEnabled {
		fmt.Fprintf(w, "  synchronised from %s as %s, last at %s\n", me.OnPremisesDomainName,
			me.OnPremisesSamAccountName, me.OnPremisesLastSyncDateTime.Format(time.RFC3339))
	}

	// A department, by hire date: a $filter on a property Graph answers
	// only on $select. Graph orders users by display name or user
	// principal name alone, so the hire dates are sorted here.
	fmt.Fprintf(w, "\n%s, by hire date:\n", department)
	q := query.New().Where(query.Eq("department", department))
	var team []*o365.User
	for u, err := range dir.Users(ctx, o365.Query(q), o365.Limit(100),
		contacts.WithUserProperties("displayName", "employeeType", "employeeHireDate")) {
		if err != nil {
			return err
		}
		team = append(team, u)
	}
	slices.SortFunc(team, func(a, b *o365.User) int { return a.EmployeeHireDate.Compare(b.EmployeeHireDate) })
	for _, u := range team {
		fmt.Fprintf(w, "  %-14s %-10s %s\n", u.DisplayName, u.EmployeeType, date(u.EmployeeHireDate))
	}

	if sku != "" {
		fmt.Fprintln(w, "\nLicensed:")
		lq := query.New().Where(query.Any("assignedLicenses", "l", query.Eq("l/skuId", query.GUID(sku))))
		for u, err := range dir.Users(ctx, o365.Query(lq), o365.Limit(20), contacts.WithUserProperties("displayName", "usageLocation")) {
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "  %s (%s)\n", u.DisplayName, u.UsageLocation)
		}
	}

	fmt.Fprintln(w, "\nSearch for \"meg\":")
	for u, err := range dir.Search(ctx, "meg", o365.Limit(10), contacts.WithUserProperties("displayName", "department", "city")) {
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %s, %s, %s\n", u.DisplayName, u.Department, u.City)
	}

	// The organisation chart, with job properties.
	job := contacts.WithUserProperties(api.UserJobProperties...)
	boss, err := dir.Manager(ctx, colleague, contacts.WithUserProperties("displayName"), job)
	switch {
	case errors.Is(err, o365.ErrNotFound):
		fmt.Fprintf(w, "\n%s has no manager\n", colleague)
	case err != nil:
		return err
	default:
		fmt.Fprintf(w, "\nManager of %s: %s, %s\n", colleague, boss.DisplayName, boss.Department)
		for r, err := range dir.DirectReports(ctx, boss.ID, contacts.WithUserProperties("displayName"), job) {
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "  reports: %s, %s in %s\n", r.DisplayName, r.JobTitle, r.Department)
		}
	}

	// Group memberships, direct and through nested groups.
	for _, transitive := range []bool{false, true} {
		what := "Direct memberships"
		if transitive {
			what = "All memberships"
		}
		fmt.Fprintf(w, "\n%s of %s:\n", what, colleague)
		for g, err := range dir.MemberOf(ctx, colleague, transitive, o365.Query(query.New().OrderBy("displayName", query.Asc))) {
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "  %s %s\n", g.Type(), g.DisplayName)
		}
	}
	return nil
}

func date(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format(time.DateOnly)
}

func yesNo(b *bool) string {
	switch {
	case b == nil:
		return "unknown"
	case *b:
		return "yes"
	}
	return "no"
}
