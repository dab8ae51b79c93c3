package contacts_test

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/internal/wiretest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// userUnmodelled are the properties of Microsoft's user resource that
// api.User leaves out on purpose: the SharePoint profile (answered for
// one user at a time), settings and activity with their own permissions
// and APIs, the password profile (write-only), and the navigation
// properties, which are APIs of their own.
var userUnmodelled = []string{
	"@odata.context",
	"aboutMe", "birthday", "hireDate", "interests", "mySite", "pastProjects", "preferredName",
	"responsibilities", "schools", "skills", "isResourceAccount", "mailboxSettings",
	"passwordProfile", "signInActivity",
	"calendar", "calendarGroups", "calendarView", "calendars", "contacts", "contactFolders",
	"createdObjects", "directReports", "drive", "drives", "events", "inferenceClassification",
	"mailFolders", "manager", "memberOf", "messages", "outlook", "ownedDevices", "ownedObjects",
	"photo", "registeredDevices",
}

// resourcePlaceholders stand for the type placeholders of the resource's
// JSON representation ("String (timestamp)", {"@odata.type": …}): values
// of the right type, put in their place in memory (the file stays as
// published), so every nested property is exercised too.
var resourcePlaceholders = map[string]any{
	"String (timestamp)":                          "2021-06-01T08:30:00Z",
	"microsoft.graph.assignedLicense":             map[string]any{"skuId": "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46", "disabledPlans": []any{"113feb6c-3fe4-4440-bddc-54d774bf0318"}},
	"microsoft.graph.assignedPlan":                map[string]any{"assignedDateTime": "2021-06-01T08:30:00Z", "capabilityStatus": "Enabled", "service": "exchange", "servicePlanId": "efb87545-963c-4e0d-99df-69c6916d9eb0"},
	"microsoft.graph.provisionedPlan":             map[string]any{"capabilityStatus": "Enabled", "provisioningStatus": "Success", "service": "exchange"},
	"microsoft.graph.licenseAssignmentState":      map[string]any{"assignedByGroup": "1ad3e3e7-eb3b-4f2a-98a1-3e8d7f0b3c52", "disabledPlans": []any{}, "error": "None", "lastUpdatedDateTime": "2021-06-01T08:30:00.123Z", "skuId": "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46", "state": "Active"},
	"microsoft.graph.objectIdentity":              map[string]any{"signInType": "userPrincipalName", "issuer": "contoso.com", "issuerAssignedId": "AdeleV@contoso.com"},
	"microsoft.graph.employeeOrgData":             map[string]any{"division": "Retail", "costCenter": "CC-042"},
	"microsoft.graph.onPremisesProvisioningError": map[string]any{"category": "PropertyConflict", "occurredDateTime": "2021-06-01T08:30:00Z", "propertyCausingError": "ProxyAddresses", "value": "smtp:adele@contoso.com"},
	"microsoft.graph.onPremisesExtensionAttributes": func() map[string]any {
		m := map[string]any{}
		for _, n := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"} {
			m["extensionAttribute"+n] = "value " + n
		}
		return m
	}(),
}

// fillPlaceholders replaces the placeholders of v by resourcePlaceholders.
func fillPlaceholders(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if t, ok := x["@odata.type"].(string); ok && len(x) == 1 {
			if p, ok := resourcePlaceholders[t]; ok {
				return p
			}
		}
		out := map[string]any{}
		for k, val := range x {
			out[k] = fillPlaceholders(val)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = fillPlaceholders(val)
		}
		return out
	case string:
		if p, ok := resourcePlaceholders[x]; ok {
			return p
		}
	}
	return v
}

// Microsoft's user and directory-object examples (user-get, user-list,
// manager, memberOf, transitiveMemberOf, and the user resource's JSON
// representation) decode into api.User and api.DirectoryObject and encode
// again without losing a property either models.
func TestDirectoryExamplesRoundTrip(t *testing.T) {
	checked := 0
	for _, e := range loadExamples(t, "directory.json") {
		body := fillPlaceholders(e.ResponseBody).(map[string]any)
		objects := []map[string]any{body}
		if e.Collection {
			objects = nil
			for _, v := range body["value"].([]any) {
				objects = append(objects, v.(map[string]any))
			}
		}
		var check wiretest.Check
		switch e.ODataType {
		case "microsoft.graph.user":
			check = wiretest.RoundTrip[api.User](userUnmodelled...)
		case "microsoft.graph.directoryObject":
			check = wiretest.RoundTrip[api.DirectoryObject]("@odata.context")
		default:
			t.Errorf("%s: no model for %s", e.ID, e.ODataType)
			continue
		}
		for i, obj := range objects {
			raw, err := api.Marshal(obj)
			require.NoError(t, err)
			t.Run(e.ID+"/"+string(rune('0'+i)), func(t *testing.T) { check(t, raw) })
			checked++
		}
	}
	assert.GreaterOrEqual(t, checked, 14)
}

// Every property api.User and its nested types model is a property of
// Microsoft's types, spelled as Microsoft spells it, with a Go type that
// holds its values; every property of the resource's JSON representation
// is modelled or left out on purpose.
func TestUserPropertiesAreMicrosofts(t *testing.T) {
	raw, err := os.ReadFile("testdata/user-types.json")
	require.NoError(t, err)
	var doc struct {
		Types map[string]map[string]string `json:"types"`
	}
	require.NoError(t, api.Unmarshal(raw, &doc))
	checkFields(t, reflect.TypeFor[api.User](), doc.Types)

	rep := findExample(t, "directory.json", "user.resource#1").ResponseBody
	for name := range rep {
		assert.True(t, slices.Contains(api.UserAllProperties, name) || slices.Contains(userUnmodelled, name),
			"%s is neither modelled nor left out on purpose", name)
	}
	for _, name := range userUnmodelled[1:] {
		assert.Contains(t, rep, name, "left out, but not Microsoft's")
		assert.NotContains(t, api.UserAllProperties, name)
	}
}

// checkFields checks the fields of the struct typ against Microsoft's
// table of the type of the same name, and the struct types they hold in
// turn.
func checkFields(t *testing.T, typ reflect.Type, types map[string]map[string]string) {
	table, ok := types[typ.Name()]
	if !assert.True(t, ok, "no Microsoft type %s", typ.Name()) {
		return
	}
	for f := range typ.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		ts, ok := table[name]
		if !assert.True(t, ok, "%s.%s: Microsoft's %s has no %q", typ.Name(), f.Name, typ.Name(), name) {
			continue
		}
		ts = strings.TrimSuffix(strings.TrimPrefix(ts, "NullableOption<"), ">")
		assert.Equal(t, ts, tsType(f.Type), "%s.%s", typ.Name(), f.Name)
		elem := f.Type
		for elem.Kind() == reflect.Pointer || elem.Kind() == reflect.Slice {
			elem = elem.Elem()
		}
		if elem.Kind() == reflect.Struct && elem != reflect.TypeFor[time.Time]() {
			checkFields(t, elem, types)
		}
	}
}

// tsType is the TypeScript type Microsoft's typings give a property that
// the Go type holds: times are strings there.
func tsType(typ reflect.Type) string {
	switch {
	case typ == reflect.TypeFor[time.Time]():
		return "string"
	case typ.Kind() == reflect.Pointer:
		return tsType(typ.Elem())
	case typ.Kind() == reflect.Slice:
		return tsType(typ.Elem()) + "[]"
	case typ.Kind() == reflect.Bool:
		return "boolean"
	case typ.Kind() == reflect.String:
		return "string"
	case typ.Kind() == reflect.Struct:
		return typ.Name()
	}
	return typ.String()
}
