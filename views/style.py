"""Constant CSS only (never built from user or data text): focus rings, print layout, presenter mode."""

# Always on: a visible keyboard focus ring, and a print layout without the app chrome.
BASE_CSS = """<style>
:focus-visible { outline: 3px solid #1a56db !important; outline-offset: 2px !important; }
/* Streamlit draws captions at 60 % opacity (about 3.7:1 on white); notes and disclaimers need 4.5:1 or more. */
[data-testid="stCaptionContainer"] { color: #4a4d57 !important; opacity: 1 !important; }
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
button { min-height: 2.6rem !important; }
[data-testid="stMain"] a { color: #0033aa !important; text-decoration: underline !important; }
</style>"""
