// PrintPdf: `tally report --pdf`, the HTML report printed to PDF by headless Chromium.
//
// Runs `<chromium> --headless --no-sandbox --disable-gpu --no-pdf-header-footer
// --print-to-pdf=<tmp> file://<html>` (no shell; the browser is $TALLY_CHROMIUM, else
// /usr/bin/chromium), then renames the temporary PDF over `pdf_path`, so that a failed print
// leaves nothing half-written. The HTML file must exist; it makes no request (html_report.h).
// Errors: kNotFound when no Chromium is installed (the message says how to get one), kIoError
// when it fails, times out (60 s) or writes no PDF.
#ifndef TALLY_DASHBOARD_PDF_PRINT_H_
#define TALLY_DASHBOARD_PDF_PRINT_H_

#include <string>

#include "tally/base/result.h"

namespace tally::dashboard {

// The Chromium PrintPdf would use, or empty when none is installed.
std::string FindChromium();

Status PrintPdf(const std::string& html_path, const std::string& pdf_path);

}  // namespace tally::dashboard

#endif  // TALLY_DASHBOARD_PDF_PRINT_H_
