package userpool

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/gatehouse/gatehouse/internal/store"
)

// Cognito's user import from a CSV file (developer guide: cognito-user-pools-using-import-tool,
// "Creating the user import CSV file"; API reference: API_GetCSVHeader.html). Cognito runs
// such a file as an import job; Gatehouse imports it from the command line
// (`gatehouse users import --csv`). The users have no password: they are RESET_REQUIRED and
// set one through ForgotPassword, with the code sent to their verified email or phone.

// csvStandardColumns are the header's standard attributes in the order GetCSVHeader lists
// them (the sample response of the developer guide; the pool's custom attributes follow
// updated_at, as a captured get-csv-header output shows).
var csvStandardColumns = []string{
	"name", "given_name", "family_name", "middle_name", "nickname", "preferred_username",
	"profile", "picture", "website", "email", "email_verified", "gender", "birthdate",
	"zoneinfo", "locale", "phone_number", "phone_number_verified", "address", "updated_at",
}

const (
	csvUsername   = "cognito:username"
	csvMFAEnabled = "cognito:mfa_enabled"
)

// csvHeader is the pool's CSV header: the standard attributes, its custom attributes, then
// cognito:mfa_enabled and cognito:username.
func (p *pool) csvHeader() []string {
	h := append([]string(nil), csvStandardColumns...)
	for _, a := range p.attributeSchema() {
		name := strings.TrimPrefix(a.Name, "dev:")
		if strings.HasPrefix(name, "custom:") {
			h = append(h, name)
		}
	}
	return append(h, csvMFAEnabled, csvUsername)
}

// GetCSVHeader returns the header of a user-import CSV file for the pool (API reference:
// API_GetCSVHeader.html).
func (s *Service) GetCSVHeader(ctx context.Context, in *GetCSVHeaderRequest) (*GetCSVHeaderResponse, error) {
	p, err := s.loadPool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	return &GetCSVHeaderResponse{UserPoolId: p.rec.ID, CSVHeader: p.csvHeader()}, nil
}

// ImportCSV creates the users of a Cognito user-import CSV file in the pool, in
// RESET_REQUIRED status and without a password, as Cognito's import jobs do.
//
// The header names the columns in any order; every column must be one GetCSVHeader lists,
// and cognito:username must be there (Cognito also wants every listed column present; a
// subset is accepted here). Each user needs a verified email or phone number (email_verified
// or phone_number_verified true, with the address), where the password-reset code goes.
// A user the pool already has is left as it is, so running an import again changes nothing.
// The first bad row stops the import with an *ImportError naming its line; earlier batches
// stay imported. progress is as for ImportUsers.
func (s *Service) ImportCSV(ctx context.Context, poolID string, r io.Reader, progress func(users int)) (ImportStats, error) {
	im, err := s.newImporter(ctx, poolID, progress)
	if err != nil {
		return ImportStats{}, err
	}
	if im.p == nil {
		return ImportStats{}, im.missing
	}
	cr := csv.NewReader(&lineLimiter{r: bufio.NewReaderSize(r, 64<<10), max: MaxImportLine})
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return im.stats, errors.New("empty CSV file: want a header line (get it with aws cognito-idp get-csv-header)")
		}
		return im.stats, csvError(err)
	}
	cols, err := im.p.csvColumns(header)
	if err != nil {
		return im.stats, &ImportError{Line: 1, Err: err}
	}
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return im.stats, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue // a blank line
		}
		im.stats.Users++
		if err := im.importCSVRow(ctx, line, cols, row); err != nil {
			return im.stats, err
		}
	}
	return im.stats, im.flush(ctx)
}

// csvError turns a CSV syntax error into an ImportError naming its line.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ImportError{Line: pe.Line, Err: pe.Err}
	}
	var le *lineTooLong
	if errors.As(err, &le) {
		return &ImportError{Line: le.line, Err: fmt.Errorf("line longer than %d bytes", MaxImportLine)}
	}
	return err
}

// csvColumns checks a header against the pool's and returns the column names in file order.
func (p *pool) csvColumns(header []string) ([]string, error) {
	known := map[string]bool{}
	for _, h := range p.csvHeader() {
		known[h] = true
	}
	cols := make([]string, len(header))
	seen := map[string]bool{}
	var unknown []string
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff") // a byte-order mark from a spreadsheet
		}
		h = strings.TrimSpace(h)
		switch {
		case h == "":
			return nil, fmt.Errorf("header column %d has no name", i+1)
		case seen[h]:
			return nil, fmt.Errorf("header names column %q twice", h)
		case !known[h]:
			unknown = append(unknown, fmt.Sprintf("%q", h))
		}
		seen[h] = true
		cols[i] = h
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("unknown header column(s) %s: the pool's header is %s (aws cognito-idp get-csv-header)",
			strings.Join(unknown, ", "), strings.Join(p.csvHeader(), ","))
	}
	if !seen[csvUsername] {
		return nil, fmt.Errorf("the header has no %s column, which names each user", csvUsername)
	}
	return cols, nil
}

// csvBooleans are the columns whose values are true or false.
var csvBooleans = map[string]bool{"email_verified": true, "phone_number_verified": true, csvMFAEnabled: true}

func (im *importer) importCSVRow(ctx context.Context, line int, cols, row []string) error {
	s, p := im.s, im.p
	var username string
	mfa := false
	in := make([]AttributeType, 0, len(cols))
	for i, c := range cols {
		v := row[i]
		if csvBooleans[c] {
			switch strings.ToLower(strings.TrimSpace(v)) {
			case "":
				continue
			case "true":
				v = "true"
			case "false":
				v = "false"
			default:
				return lineError(line, "%s %q: want true or false", c, v)
			}
		}
		switch {
		case c == csvUsername:
			username = v
		case c == csvMFAEnabled:
			mfa = v == "true"
		case v != "":
			in = append(in, AttributeType{Name: c, Value: v})
		}
	}
	if username == "" {
		return lineError(line, "no %s", csvUsername)
	}
	if !validName(username, 128) {
		return lineError(line, "%s %q: 1 to 128 letters, marks, symbols, numbers or punctuation", csvUsername, username)
	}
	implied, err := p.signInName(username)
	if err != nil {
		return lineError(line, "user %q: %v", username, err)
	}
	attrs, err := p.checkAttributes(in, nil, true)
	if err != nil {
		return lineError(line, "user %q: %v", username, err)
	}
	if implied != "" {
		if v := attr(attrs, implied); v != "" && v != username {
			return lineError(line, "user %q: %s %q differs from %s, which is the %s in this pool", username, implied, v, csvUsername, implied)
		}
		attrs = addOrReplace(attrs, store.Attribute{Name: implied, Value: username})
	}
	if problems := p.missingRequired(attrs); len(problems) > 0 {
		return lineError(line, "user %q: %v", username, errSchema(problems))
	}
	verified := false
	for _, c := range []string{"email", "phone_number"} {
		switch has := attr(attrs, c) != ""; {
		case attr(attrs, c+"_verified") == "true" && !has:
			return lineError(line, "user %q: %s_verified is true but %s is empty", username, c, c)
		case attr(attrs, c+"_verified") == "true":
			verified = true
		}
	}
	if !verified {
		return lineError(line, "user %q: needs a verified email or phone number (email_verified or phone_number_verified true), where the password-reset code goes", username)
	}

	if implied != "" {
		// The username becomes the user's sub, so the pool knows an imported user by its
		// email or phone number only.
		if _, err := s.findUser(ctx, p, username); err == nil {
			im.stats.Skipped++
			return nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if im.batchHasContact(implied, username) {
			im.stats.Skipped++
			return nil
		}
	}
	u, err := s.newUser(ctx, p, username, implied, attrs, statusResetRequired, "")
	if err != nil {
		return err
	}
	if mfa {
		if attr(u.Attributes, "phone_number") == "" {
			return lineError(line, "user %q: %s is true but phone_number is empty", username, csvMFAEnabled)
		}
		// SMS MFA as AdminGetUser shows it (userMFA in users.go).
		m := userMFA{
			MFAOptions:          []MFAOptionType{{DeliveryMedium: "SMS", AttributeName: "phone_number"}},
			PreferredMfaSetting: "SMS_MFA", UserMFASettingList: []string{"SMS_MFA"},
		}
		for _, kv := range []struct {
			key string
			v   any
		}{{"MFAOptions", m.MFAOptions}, {"PreferredMfaSetting", m.PreferredMfaSetting}, {"UserMFASettingList", m.UserMFASettingList}} {
			if u.Extra, err = withExtraField(u.Extra, kv.key, kv.v); err != nil {
				return err
			}
		}
	}
	return im.add(ctx, line, store.NewUser{User: u})
}

// batchHasContact reports whether a user queued in the batch already has attribute name
// with value v (a repeated row of a pool whose usernames are emails or phone numbers).
func (im *importer) batchHasContact(name, v string) bool {
	_, ok := im.contacts[name+"\x00"+v]
	return ok
}

// lineLimiter passes a reader through, failing once a line grows longer than max bytes, so
// that a file without line breaks cannot make the CSV reader buffer it whole.
type lineLimiter struct {
	r    *bufio.Reader
	max  int
	cur  int // bytes of the current line so far
	line int // lines completed
}

type lineTooLong struct{ line int }

func (e *lineTooLong) Error() string { return fmt.Sprintf("line %d is too long", e.line) }

func (l *lineLimiter) Read(b []byte) (int, error) {
	n, err := l.r.Read(b)
	chunk := b[:n]
	for len(chunk) > 0 {
		i := bytes.IndexByte(chunk, '\n')
		if i < 0 {
			l.cur += len(chunk)
			break
		}
		if l.cur+i > l.max {
			return 0, &lineTooLong{line: l.line + 1}
		}
		l.cur = 0
		l.line++
		chunk = chunk[i+1:]
	}
	if l.cur > l.max {
		return 0, &lineTooLong{line: l.line + 1}
	}
	return n, err
}
