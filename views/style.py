"""Constant CSS only (never built from user or data text): focus rings, print layout, presenter mode."""

# Always on: a visible keyboard focus ring, and a print layout without the app chrome.
BASE_CSS = """<style>
:focus-visible { outline: 3px solid #1a56db !important; outline-offset: 2px !important; }
/* Streamlit draws captions at 60 % opacity (about 3.7:1 on white); notes and disclaimers need 4.5:1 or more. */
[data-testid="stCaptionContainer"] { color: #4a4d57 !important; opacity: 1 !important; }
/* The share link's copy button: Streamlit shows it only on hover, which a touch screen never has. */
[data-testid="stCode"] [data-testid="stElementToolbarButton"],
[data-testid="stCode"] [data-testid="stElementToolbarButton"] *,
[data-testid="stCode"] > div:last-child { visibility: visible !important; opacity: 1 !important; }
[data-testid="stCode"] pre { padding-right: 3rem !important; }
/* Sidebar page names are wrapped, never cut with an ellipsis. */
[data-testid="stSidebarNav"] [data-testid="stMarkdownContainer"], [data-testid="stSidebarNav"] p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
@media (max-width: 640px) {
  h1 { font-size: 2rem !important; }
  h2, h3 { font-size: 1.35rem !important; }
}
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stButtonGroup"], [data-testid="stBaseButton-secondary"], [data-testid="stCheckbox"],
  [data-testid="stBaseButton-primary"], [data-testid="stDownloadButton"], .stButton,
  [data-testid="stCode"] { display: none !important; }
  [data-testid="stMainBlockContainer"] { max-width: 100% !important; padding: 0 !important; }
  [data-testid="stVerticalBlockBorderWrapper"] { break-inside: avoid; }
}
</style>"""

# Presenter mode: large type and high contrast for a projector.
PRESENTER_CSS = """<style>
html { font-size: 20px !important; }
[data-testid="stApp"], [data-testid="stSidebar"] { background: #ffffff !important; color: #000000 !important; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li,
label, [data-testid="stWidgetLabel"] p { font-size: 1.1rem !important; color: #000000 !important; }
h1 { font-size: 2.4rem !important; } h2 { font-size: 1.8rem !important; } h3 { font-size: 1.45rem !important; }
[data-testid="stCaptionContainer"] { color: #111111 !important; font-size: 0.95rem !important; }
[data-testid="stMainBlockContainer"] { max-width: 1100px !important; padding-left: 2rem !important;
  padding-right: 2rem !important; }
[data-testid="stSidebarNav"] span { white-space: normal !important; overflow: visible !important; }
[data-testid="stSidebarNav"] a, [data-testid="stSidebarNav"] a * { color: #000000 !important; }
[data-testid="stSidebarNav"] a[aria-current="page"], [data-testid="stSidebarNav"] a:hover {
  background: #e8eefc !important; }
button { min-height: 2.6rem !important; }
[data-testid="stMain"] a { color: #0033aa !important; text-decoration: underline !important; }
/* Buttons in every state, 4.5:1 or more (tests/test_browser.py measures it): black on white at rest and on
   hover, white on dark blue when primary, selected or pressed. Text inside a button follows the button. */
[data-testid="stApp"] button, [data-testid="stApp"] summary {
  color: #000000 !important; background-color: #ffffff !important; border-color: #000000 !important; }
[data-testid="stApp"] button:hover, [data-testid="stApp"] button:focus-visible,
[data-testid="stApp"] summary:hover { color: #000000 !important; background-color: #e8eefc !important; }
[data-testid="stApp"] button[kind="primary"], [data-testid="stApp"] button[kind$="Active"],
[data-testid="stApp"] button[aria-pressed="true"], [data-testid="stApp"] button[aria-checked="true"],
[data-testid="stApp"] button[aria-checked="true"]:hover, [data-testid="stApp"] button:active,
[data-testid="stApp"] button[kind="primary"]:hover, [data-testid="stApp"] button[kind$="Active"]:hover {
  color: #ffffff !important; background-color: #0033aa !important; border-color: #0033aa !important; }
[data-testid="stApp"] button:active { background-color: #001a66 !important; }
[data-testid="stApp"] button *, [data-testid="stApp"] summary * { color: inherit !important; }
/* Alerts and badges: darker text on their pale backgrounds. */
[data-testid="stAlertContentError"], [data-testid="stAlertContentError"] * { color: #5c0011 !important; }
[data-testid="stAlertContentWarning"], [data-testid="stAlertContentWarning"] * { color: #4d3300 !important; }
[data-testid="stAlertContentSuccess"], [data-testid="stAlertContentSuccess"] * { color: #003d1a !important; }
[data-testid="stAlertContentInfo"], [data-testid="stAlertContentInfo"] * { color: #002266 !important; }
[data-testid="stCode"] code, [data-testid="stCode"] span { color: #000000 !important; }
</style>"""
