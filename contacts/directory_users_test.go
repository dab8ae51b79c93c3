package contacts_test

import (
	"context"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/contacts"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/query"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// orgChart is a tenant of three users with every structural property
// set: Adele manages Alex and Megan. It returns the users as stored.
func orgChart(t *testing.T) (*graphtest.Server, []graphtest.User) {
	t.Helper()
	upns := []string{adele, alex, megan}
	full := o365test.FullDirectory(3, func(i int, _, _ string) string { return upns[i] })
	srv := o365test.NewServer(t)
	names := [][3]string{{"Adele Vance", "Adele", "Vance"}, {"Alex Wilber", "Alex", "Wilber"}, {"Megan Bowen", "Megan", "Bowen"}}
	var stored []graphtest.User
	for i, u := range full {
		u.DisplayName, u.GivenName, u.Surname = names[i][0], names[i][1], names[i][2]
		u.Password = password
		stored = append(stored, srv.AddUser(u))
	}
	stored[0].Department, stored[1].Department, stored[2].Department = "Retail", "Marketing", "Marketing"
	stored[1].AccountEnabled = new(bool) // disabled
	for _, u := range stored {
		srv.AddUser(u)
	}
	require.NoError(t, srv.SetManager(alex, adele))
	require.NoError(t, srv.SetManager(megan, adele))
	return srv, stored
}

// Every property api.User models comes back, value for value, when
// selected, from a single get and from a list; UserAllProperties names
// each of them once.
func TestDirectoryEveryModelledPropertyRoundTrips(t *testing.T) {
	ctx := context.Background()
	srv, users := orgChart(t)
	dir := signIn(t, srv, alex, "basic", "users_all").Directory()

	// The property sets name exactly the JSON properties of api.User.
	var names []string
	for f := range reflect.TypeFor[api.User]().Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		names = append(names, name)
	}
	assert.ElementsMatch(t, names, api.UserAllProperties)
	assert.GreaterOrEqual(t, len(api.UserAllProperties), 40)
	for _, p := range api.UserDefaultProperties {
		assert.Contains(t, api.UserAllProperties, p)
	}

	want := o365test.APIUser(users[0])
	got, err := dir.User(ctx, adele, contacts.WithUserProperties(api.UserAllProperties...))
	require.NoError(t, err)
	assert.Equal(t, want, *got)
	// Every field was filled, so none of them is equal by being empty.
	v := reflect.ValueOf(*got)
	for i := range v.NumField() {
		assert.False(t, v.Field(i).IsZero(), "%s came back empty", v.Type().Field(i).Name)
	}

	listed := o365test.Collect(t, dir.Users(ctx, contacts.WithUserProperties(api.UserAllProperties...)))
	require.Len(t, listed, 3)
	for i, u := range listed {
		assert.Equal(t, o365test.APIUser(users[i]), *u)
	}
}

func TestDirectoryExtendedProperties(t *testing.T) {
	ctx := context.Background()
	srv, users := orgChart(t)
	dir := signIn(t, srv, alex, "basic", "users_all").Directory()

	// Without $select, Graph's default set: nothing else is filled.
	plain, err := dir.User(ctx, adele)
	require.NoError(t, err)
	assert.Equal(t, "Adele Vance", plain.DisplayName)
	assert.NotEmpty(t, plain.BusinessPhones)
	assert.Empty(t, plain.Department)
	assert.Nil(t, plain.AccountEnabled)
	assert.Empty(t, plain.AssignedLicenses)

	// One named set at a time, or several together.
	job, err := dir.User(ctx, adele, contacts.WithUserProperties(api.UserJobProperties...))
	require.NoError(t, err)
	assert.Equal(t, "Retail", job.Department)
	assert.Equal(t, users[0].EmployeeID, job.EmployeeID)
	assert.Equal(t, users[0].EmployeeOrgData.CostCenter, job.EmployeeOrgData.CostCenter)
	assert.Empty(t, job.DisplayName, "not selected")
	both, err := dir.User(ctx, adele, contacts.WithUserProperties(api.UserLicenseProperties...),
		contacts.WithUserProperties("displayName", "DisplayName", "onPremisesExtensionAttributes"))
	require.NoError(t, err)
	assert.Equal(t, "Adele Vance", both.DisplayName)
	assert.Equal(t, users[0].AssignedLicenses[0].SkuID, both.AssignedLicenses[0].SkuID)
	assert.Equal(t, users[0].OnPremisesExtensionAttributes.Attributes[14], both.OnPremisesExtensionAttributes.ExtensionAttribute15)
	assert.Empty(t, both.Department)
	// Names are matched without regard to case, as Graph does.
	q := query.New().Select("DEPARTMENT", "accountenabled")
	odd, err := dir.User(ctx, alex, o365.Query(q))
	require.NoError(t, err)
	assert.Equal(t, "Marketing", odd.Department)
	require.NotNil(t, odd.AccountEnabled)
	assert.False(t, *odd.AccountEnabled)

	// Lists: filter on a property outside the default set, select it, order.
	mq := query.New().Where(query.Eq("department", "Marketing")).OrderBy("displayName", query.Desc)
	marketing := o365test.Collect(t, dir.Users(ctx, o365.Query(mq),
		contacts.WithUserProperties("displayName", "department", "accountEnabled", "employeeHireDate")))
	require.Len(t, marketing, 2)
	assert.Equal(t, []string{"Megan Bowen", "Alex Wilber"}, displayNames(marketing))
	assert.Equal(t, "Marketing", marketing[0].Department)
	assert.True(t, *marketing[0].AccountEnabled)
	assert.False(t, *marketing[1].AccountEnabled)
	assert.Equal(t, users[2].EmployeeHireDate, marketing[0].EmployeeHireDate)
	disabled := o365test.Collect(t, dir.Users(ctx, o365.Query(query.New().Where(query.Eq("accountEnabled", false)))))
	assert.Equal(t, []string{"Alex Wilber"}, displayNames(disabled))
	licensed := o365test.Collect(t, dir.Users(ctx, o365.Query(query.New().Where(
		query.Any("assignedLicenses", "l", query.Eq("l/skuId", query.GUID(users[1].AssignedLicenses[0].SkuID)))))))
	assert.Contains(t, displayNames(licensed), "Alex Wilber")

	// Search with extended properties; every page eventual.
	found := o365test.Collect(t, dir.Search(ctx, "megan", contacts.WithUserProperties("displayName", "city", "usageLocation")))
	require.Len(t, found, 1)
	assert.Equal(t, users[2].City, found[0].City)
	assert.Equal(t, users[2].UsageLocation, found[0].UsageLocation)
	for _, r := range srv.Requests() {
		if r.Path == "/v1.0/users" && strings.Contains(r.RawQuery, "search") {
			assert.Equal(t, "eventual", r.Header.Get("ConsistencyLevel"))
		}
	}

	// Manager and direct reports with extended properties.
	boss, err := dir.Manager(ctx, alex, contacts.WithUserProperties("displayName", "department", "employeeId"))
	require.NoError(t, err)
	assert.Equal(t, "Adele Vance", boss.DisplayName)
	assert.Equal(t, "Retail", boss.Department)
	assert.Equal(t, users[0].EmployeeID, boss.EmployeeID)
	reports := o365test.Collect(t, dir.DirectReports(ctx, adele, contacts.WithUserProperties("displayName", "department", "onPremisesSamAccountName")))
	require.Len(t, reports, 2)
	assert.Equal(t, "Marketing", reports[0].Department)
	assert.Equal(t, users[1].OnPremisesSamAccountName, reports[0].OnPremisesSamAccountName)
	plainReports := o365test.Collect(t, dir.DirectReports(ctx, adele))
	assert.Empty(t, plainReports[0].Department, "default set without $select")
	assert.Equal(t, "Alex Wilber", plainReports[0].DisplayName)

	// A photo, as before.
	require.NoError(t, srv.SetUserPhoto(adele, "image/png", []byte("png bytes")))
	rc, err := dir.Photo(ctx, adele)
	require.NoError(t, err)
	data, err := io.ReadAll(rc)
	require.NoError(t, err)
	rc.Close()
	assert.Equal(t, "png bytes", string(data))

	// A bad query is an error, not a panic.
	_, err = dir.User(ctx, adele, o365.Query(query.New().Where(query.Eq("", "x"))))
	assert.Error(t, err)
}

// With User.ReadBasic.All alone, other users' properties outside the
// default set come back empty; the signed-in user's own do not, and
// User.Read.All opens everyone's.
func TestDirectoryReadBasicLimitsOthers(t *testing.T) {
	ctx := context.Background()
	srv, users := orgChart(t)
	sel := contacts.WithUserProperties("displayName", "jobTitle", "department", "employeeId", "accountEnabled")

	basic := signIn(t, srv, alex, "basic", "users").Directory()
	other, err := basic.User(ctx, adele, sel)
	require.NoError(t, err)
	assert.Equal(t, "Adele Vance", other.DisplayName)
	assert.Equal(t, users[0].JobTitle, other.JobTitle, "default properties stay")
	assert.Empty(t, other.Department)
	assert.Empty(t, other.EmployeeID)
	assert.Nil(t, other.AccountEnabled)
	self, err := basic.User(ctx, "me", sel)
	require.NoError(t, err)
	assert.Equal(t, "Marketing", self.Department)
	listed := o365test.Collect(t, basic.Users(ctx, sel))
	for _, u := range listed {
		assert.Equal(t, u.ID == self.ID, u.Department != "", u.DisplayName)
	}

	for _, scope := range []string{"users_all", "directory"} {
		full := signIn(t, srv, alex, "basic", scope).Directory()
		other, err := full.User(ctx, adele, sel)
		require.NoError(t, err)
		assert.Equal(t, "Retail", other.Department, scope)
	}
	app := o365test.SignInApp(t, srv).Directory()
	fromApp, err := app.User(ctx, adele, sel)
	require.NoError(t, err)
	assert.Equal(t, "Retail", fromApp.Department)
}

func TestDirectoryMemberOf(t *testing.T) {
	ctx := context.Background()
	srv, _ := orgChart(t)
	staff, err := srv.AddGroup(graphtest.Group{DisplayName: "All Staff", SecurityEnabled: true, Members: []string{adele}})
	require.NoError(t, err)
	marketing, err := srv.AddGroup(graphtest.Group{DisplayName: "Marketing", Mail: "marketing@contoso.onmicrosoft.com",
		MailNickname: "marketing", MailEnabled: true, GroupTypes: []string{"Unified"}, Members: []string{alex, megan}})
	require.NoError(t, err)
	// Marketing is inside All Staff, so its members are too, transitively.
	require.NoError(t, srv.AddGroupMember(staff.ID, marketing.ID))
	dir := signIn(t, srv, alex, "basic", "directory").Directory()

	direct := o365test.Collect(t, dir.MemberOf(ctx, "me", false))
	require.Len(t, direct, 1)
	assert.Equal(t, "group", direct[0].Type())
	assert.Equal(t, marketing.ID, direct[0].ID)
	assert.Equal(t, "Marketing", direct[0].DisplayName)
	assert.Equal(t, "marketing@contoso.onmicrosoft.com", direct[0].Mail)
	assert.True(t, direct[0].MailEnabled)
	assert.Equal(t, []string{"Unified"}, direct[0].GroupTypes)

	all := o365test.Collect(t, dir.MemberOf(ctx, alex, true))
	var got []string
	for _, g := range all {
		got = append(got, g.DisplayName)
	}
	assert.ElementsMatch(t, []string{"Marketing", "All Staff"}, got)
	assert.Equal(t, []string{"All Staff"}, objectNames(o365test.Collect(t, dir.MemberOf(ctx, adele, true))))

	// $filter and $select pass through.
	q := query.New().Where(query.StartsWith("displayName", "all")).Select("displayName")
	filtered := o365test.Collect(t, dir.MemberOf(ctx, megan, true, o365.Query(q)))
	assert.Equal(t, []string{"All Staff"}, objectNames(filtered))
	assert.Empty(t, filtered[0].Mail)

	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "emberOf") {
			assert.Equal(t, "eventual", r.Header.Get("ConsistencyLevel"), r.Path)
		}
	}
	_, err = collectErr(dir.MemberOf(ctx, "", false))
	assert.ErrorContains(t, err, "empty user")
	_, err = collectErr(dir.MemberOf(ctx, "nobody@contoso.onmicrosoft.com", true))
	assert.ErrorIs(t, err, o365.ErrNotFound)
}

func objectNames(objs []*contacts.DirectoryObject) []string {
	var out []string
	for _, o := range objs {
		out = append(out, o.DisplayName)
	}
	return out
}

// WithUserProperties adds to what earlier ones selected, each name once
// whatever its case, ignores blanks, and always selects the id.
func TestWithUserProperties(t *testing.T) {
	cfg := api.NewListConfig(contacts.WithUserProperties("displayName", " city "),
		contacts.WithUserProperties("City", "", "department"))
	assert.Equal(t, "id,displayName,city,department", cfg.Params["$select"])
	assert.Equal(t, "id,city", api.NewListConfig(contacts.WithUserProperties("city", "ID")).Params["$select"])
	assert.NotContains(t, api.NewListConfig(contacts.WithUserProperties()).Params, "$select")
	all := slices.Clone(api.UserAllProperties)
	slices.Sort(all)
	assert.Equal(t, len(all), len(slices.Compact(all)), "UserAllProperties names each property once")
	assert.Equal(t, "group", (&api.DirectoryObject{ODataType: "#microsoft.graph.group"}).Type())
	assert.Equal(t, "directoryRole", (&api.DirectoryObject{ODataType: "microsoft.graph.directoryRole"}).Type())
}

// A Directory made by hand has no connection: every call says so
// instead of panicking.
func TestHandMadeDirectoryFails(t *testing.T) {
	ctx := context.Background()
	var d contacts.Directory
	n := 0
	for _, err := range d.Users(ctx) {
		require.ErrorContains(t, err, "the Directory has no connection")
		n++
	}
	assert.Equal(t, 1, n)
	for _, err := range d.MemberOf(ctx, "x", true) {
		require.ErrorContains(t, err, "no connection")
	}
	_, err := d.User(ctx, "x")
	require.ErrorContains(t, err, "no connection")
	_, err = d.Manager(ctx, "x")
	require.ErrorContains(t, err, "no connection")
	_, err = d.Photo(ctx, "x")
	require.ErrorContains(t, err, "no connection")
	_, err = d.PhotoInfo(ctx, "x")
	require.ErrorContains(t, err, "no connection")
}
