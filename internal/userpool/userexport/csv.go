package userexport

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
	"github.com/gatehouse/gatehouse/internal/userpool"
)

// Cognito's user import from a CSV file (developer guide: cognito-user-pools-using-import-tool,
// "Creating the user import CSV file"; API reference: API_GetCSVHeader.html). Cognito runs
// such a file as an import job; Gatehouse imports it from the command line
// (`gatehouse users import --csv`). The users have no password: they are RESET_REQUIRED and
// set one through ForgotPassword, with the code sent to their verified email or phone.

const (
	csvUsername   = userpool.CSVUsername
	csvMFAEnabled = userpool.CSVMFAEnabled
)

// ImportCSV creates the users of a Cognito user-import CSV file in the pool, in
// RESET_REQUIRED status and without a password, as Cognito's import jobs do.
//
// The header names the columns in any order; every column must be one GetCSVHeader lists,
// and cognito:username must be there (Cognito also wants every listed column present; a
// subset is accepted here). Each user needs a verified email or phone number (email_verified
// or phone_number_verified true, with the address), where the password-reset code goes.
// A user the pool already has is left as it is, so running an import again changes nothing.
// The first bad row stops the import with an *ImportError naming its line; earlier batches
// stay imported. progress is as for Import.
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
	cols, err := csvColumns(im.p, header)
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
func csvColumns(p *userpool.BulkPool, header []string) ([]string, error) {
	poolHeader := p.CSVHeader()
	known := map[string]bool{}
	for _, h := range poolHeader {
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
			strings.Join(unknown, ", "), strings.Join(poolHeader, ","))
	}
	if !seen[csvUsername] {
		return nil, fmt.Errorf("the header has no %s column, which names each user", csvUsername)
	}
	return cols, nil
}

// csvBooleans are the columns whose values are true or false.
var csvBooleans = map[string]bool{"email_verified": true, "phone_number_verified": true, csvMFAEnabled: true}

func (im *importer) importCSVRow(ctx context.Context, line int, cols, row []string) error {
	p := im.p
	var username string
	mfa := false
	in := make([]userpool.AttributeType, 0, len(cols))
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
			in = append(in, userpool.AttributeType{Name: c, Value: v})
		}
	}
	if username == "" {
		return lineError(line, "no %s", csvUsername)
	}
	if !validName(username, 128) {
		return lineError(line, "%s %q: 1 to 128 letters, marks, symbols, numbers or punctuation", csvUsername, username)
	}
	implied, err := p.SignInName(username)
	if err != nil {
		return lineError(line, "user %q: %v", username, err)
	}
	attrs, err := p.CheckAttributes(in)
	if err != nil {
		return lineError(line, "user %q: %v", username, err)
	}
	if implied != "" {
		if v := store.AttributeValue(attrs, implied); v != "" && v != username {
			return lineError(line, "user %q: %s %q differs from %s, which is the %s in this pool", username, implied, v, csvUsername, implied)
		}
		attrs = store.SetAttribute(attrs, implied, username)
	}
	verified := false
	for _, c := range []string{"email", "phone_number"} {
		switch has := store.AttributeValue(attrs, c) != ""; {
		case store.AttributeValue(attrs, c+"_verified") == "true" && !has:
			return lineError(line, "user %q: %s_verified is true but %s is empty", username, c, c)
		case store.AttributeValue(attrs, c+"_verified") == "true":
			verified = true
		}
	}
	if !verified {
		return lineError(line, "user %q: needs a verified email or phone number (email_verified or phone_number_verified true), where the password-reset code goes", username)
	}

	if implied != "" {
		// The username becomes the user's sub, so the pool knows an imported user by its
		// email or phone number only.
		if exists, err := p.UserExists(ctx, username); err != nil {
			return err
		} else if exists {
			im.stats.Skipped++
			return nil
		}
		if im.contacts.Has(implied, username) {
			im.stats.Skipped++
			return nil
		}
	}
	u, err := p.NewUser(ctx, username, implied, attrs, "RESET_REQUIRED")
	if err != nil {
		return err
	}
	if mfa {
		if store.AttributeValue(u.Attributes, "phone_number") == "" {
			return lineError(line, "user %q: %s is true but phone_number is empty", username, csvMFAEnabled)
		}
		if err := userpool.SetSMSMFA(&u); err != nil {
			return err
		}
	}
	return im.add(ctx, line, store.NewUser{User: u})
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
