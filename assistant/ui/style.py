"""How the chat looks: a theme on system and bundled fonts, the stylesheet, and the script
that makes ``[n]`` bring its card into view.

The stylesheet and the script travel inside the Blocks (``gr.HTML(head=..., js_on_load=...)``)
rather than as ``launch(css=...)`` arguments, so the chat looks the same when the HTTP server
mounts it at /chat with ``gr.mount_gradio_app``. Nothing here loads from a CDN: the page
must render on a machine without internet.
"""

from __future__ import annotations

from html import escape

PANEL_HEIGHT = 650  # with the filters bar above it, ends level with the chat input
SERIF = "Georgia, 'Iowan Old Style', 'Times New Roman', serif"


def theme():
    """Gradio's default theme with calmer colours; fonts are local (no Google Fonts)."""
    import gradio as gr

    return gr.themes.Default(
        primary_hue=gr.themes.colors.blue,
        neutral_hue=gr.themes.colors.slate,
        radius_size=gr.themes.sizes.radius_md,
        font=(gr.themes.LocalFont("Source Sans Pro"), "ui-sans-serif", "system-ui", "sans-serif"),
        font_mono=(gr.themes.LocalFont("IBM Plex Mono"), "ui-monospace", "monospace"),
    ).set(
        body_text_size="16px",
        block_shadow="none",
        button_primary_background_fill="#1e3a5f",
        button_primary_background_fill_hover="#274b7a",
        button_primary_text_color="#ffffff",
    )


def header_html(summary: str) -> str:
    return (
        '<div class="bl-header"><div class="bl-brand">Byline</div>'
        '<div class="bl-tagline">Ask the news archive. Every answer quotes and cites its sources.</div>'
        f'<div class="bl-summary">{escape(summary)}</div></div>'
    )


WELCOME = (
    '<div class="bl-welcome"><p class="bl-welcome-title">What would you like to know?</p>'
    "<p>Answers quote the articles they come from, with the sources beside the chat. "
    "Follow-up questions keep the context. Try one of these:</p></div>"
)

# Delegated from the document, in the capture phase, so it works for answers rendered after
# the script ran and before the chatbot's own link handling (which opens links in a new tab).
MARKER_JS = """
if (!window.__bylineRefs) {
  window.__bylineRefs = true;
  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('a[href^="#bl-cite-"]');
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    const card = document.getElementById(link.getAttribute('href').slice(1));
    if (!card) return;
    card.scrollIntoView({behavior: 'smooth', block: 'nearest'});
    card.classList.remove('bl-flash');
    void card.offsetWidth;
    card.classList.add('bl-flash');
  }, true);
}
"""

CSS = """
.bl-header { padding: 6px 2px 2px; }
.bl-brand { font-family: __SERIF__; font-size: 30px; font-weight: 700; letter-spacing: -0.5px;
  color: var(--body-text-color); line-height: 1.1; }
.bl-brand::after { content: ""; display: inline-block; width: 9px; height: 9px; margin-left: 3px;
  border-radius: 50%; background: #c0392b; }
.bl-tagline { color: var(--body-text-color-subdued); margin-top: 2px; }
.bl-summary { color: var(--body-text-color-subdued); font-size: 13px; margin-top: 4px; }

#bl-filters input.time { min-width: 0; width: 100%; }
#bl-filters .timebox { min-width: 0; }
.bl-welcome { text-align: center; padding: 28px 12px 6px; color: var(--body-text-color-subdued); }
.bl-welcome p { margin: 0 0 4px; }
.bl-welcome-title { font-family: __SERIF__; font-size: 24px; font-weight: 700;
  color: var(--body-text-color); margin-bottom: 8px !important; }
.bl-answer { color: var(--body-text-color); }
.bl-answer p { margin: 0 0 0.55em; line-height: 1.55; }
.bl-answer p:last-child { margin-bottom: 0; }
.bl-short { font-family: __SERIF__; font-size: 1.3em; font-weight: 700; }
.bl-pending p { color: var(--body-text-color-subdued); }
.bl-unverified { font-size: 0.75em; padding: 0 0.35em; border-radius: 0.3em; margin-left: 0.2em;
  background: #fde68a; color: #78350f; cursor: help; }
.bl-meta { font-size: 12.5px; color: var(--body-text-color-subdued); margin-top: 0.6em !important; }
.bl-confidence { font-weight: 600; }
.bl-reading { font-style: italic; }
.bl-answer .bl-refusal-head { font-weight: 700; color: #9a3412 !important; }
.dark .bl-answer .bl-refusal-head { color: #fdba74 !important; }
.bl-error .bl-refusal-head { color: #b91c1c !important; }
.dark .bl-error .bl-refusal-head { color: #fca5a5 !important; }
.bl-hint { font-size: 13.5px; color: var(--body-text-color-subdued); }
a.bl-ref { display: inline-block; min-width: 1.45em; padding: 0 0.35em; margin: 0 1px;
  border-radius: 999px; background: #dbe7f5; color: #1e3a5f !important; font-size: 0.72em;
  font-weight: 700; line-height: 1.5; text-align: center; text-decoration: none !important;
  vertical-align: 0.35em; cursor: pointer; }
a.bl-ref:hover { background: #1e3a5f; color: #fff !important; }
.dark a.bl-ref { background: #27415f; color: #dbe7f5 !important; }

#bl-sources { max-height: __PANEL__px; overflow-y: auto !important; padding-right: 6px; }
.bl-panel-empty { border: 1px dashed var(--border-color-primary); border-radius: 12px;
  padding: 18px; color: var(--body-text-color-subdued); font-size: 14px; }
.bl-empty-title { font-family: __SERIF__; font-size: 18px; font-weight: 700;
  color: var(--body-text-color); margin: 0 0 6px; }
.bl-turn { margin-bottom: 18px; }
.bl-turn header { display: flex; gap: 8px; align-items: baseline; font-weight: 600; margin-bottom: 4px; }
.bl-turn-n { flex: none; font-size: 11px; color: var(--body-text-color-subdued);
  border: 1px solid var(--border-color-primary); border-radius: 4px; padding: 0 5px; }
.bl-turn-label { font-size: 11.5px; text-transform: uppercase; letter-spacing: 0.06em;
  color: var(--body-text-color-subdued); margin: 2px 0 8px; }
.bl-card { border: 1px solid var(--border-color-primary); border-radius: 12px; padding: 12px 14px;
  margin-bottom: 10px; background: var(--block-background-fill); scroll-margin: 12px;
  transition: box-shadow 0.3s; }
.bl-card-head { display: flex; gap: 10px; align-items: flex-start; }
.bl-num { flex: none; display: inline-flex; align-items: center; justify-content: center;
  width: 22px; height: 22px; border-radius: 50%; background: #1e3a5f; color: #fff !important;
  font-size: 12px; font-weight: 700; margin-top: 2px; }
.bl-title { font-family: __SERIF__; font-size: 16.5px; line-height: 1.3; margin: 0; font-weight: 700; }
.bl-card a { padding: 0 !important; }
.bl-title a { color: inherit; text-decoration: none !important; }
.bl-title a:hover { text-decoration: underline !important; }
.bl-byline { font-size: 12.5px; color: var(--body-text-color-subdued); margin: 4px 0 8px; }
.bl-card-head + .bl-byline { margin-left: 32px; }
/* regular weight: the bundled semibold face renders some capitals from a fallback font */
.bl-outlet { font-weight: 400; color: var(--body-text-color); }
.bl-byline a { color: inherit !important; }
.bl-speaker { border-left: 3px solid var(--color-accent); }
.bl-role { font-size: 13px; margin: 2px 0; }
.bl-also { font-size: 12px; color: var(--body-text-color-subdued); margin: -4px 0 8px 32px; }
.bl-also a { color: inherit !important; }
.bl-title a { color: inherit !important; }
.bl-passage { font-size: 14px; line-height: 1.55; margin: 0; color: var(--body-text-color); }
.bl-passage mark { background: #fde68a; color: inherit; padding: 1px 2px; border-radius: 3px; }
.dark .bl-passage mark { background: #713f12; color: #fef3c7; }
.bl-related .bl-passage { color: var(--body-text-color-subdued); }
.bl-flash { box-shadow: 0 0 0 3px #93c5fd; }

.bl-tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; }
.bl-tile { border: 1px solid var(--border-color-primary); border-radius: 12px; padding: 14px 16px;
  background: var(--block-background-fill); }
.bl-tile-n { font-family: __SERIF__; font-size: 24px; font-weight: 700; }
.bl-tile-l { font-size: 13px; color: var(--body-text-color-subdued); }
.bl-overview h3, .bl-recent-wrap h3 { font-size: 15px; margin: 18px 0 8px; }
.bl-count { color: var(--body-text-color-subdued); font-weight: 400; }
.bl-outlets { list-style: none; padding: 0 !important; margin: 0 !important; display: flex; flex-wrap: wrap; gap: 8px; }
.bl-outlets li { border: 1px solid var(--border-color-primary); border-radius: 999px;
  padding: 2px 12px; font-size: 13.5px; display: flex; gap: 8px; }
.bl-recent { list-style: none; padding: 0 !important; margin: 0 !important; }
.bl-recent li { display: grid; grid-template-columns: 92px 96px 1fr; gap: 10px; padding: 7px 0;
  border-bottom: 1px solid var(--border-color-primary); font-size: 14px; }
.bl-recent time { color: var(--body-text-color-subdued); font-size: 13px; }
.bl-recent a { padding: 0 !important; color: var(--body-text-color) !important; text-decoration: none !important; text-align: left; }
.bl-recent a:hover { text-decoration: underline !important; }
.bl-recent li > * { justify-self: start; text-align: left !important; margin: 0 !important; }
.bl-note { font-size: 13px; color: var(--body-text-color-subdued); }
.bl-empty { color: var(--body-text-color-subdued); }
.bl-progress p { font-size: 14px; margin: 6px 0 0; }
.bl-bar { height: 6px; border-radius: 3px; background: var(--border-color-primary); overflow: hidden; }
.bl-bar span { display: block; height: 100%; min-width: 8%; background: #1e3a5f;
  animation: bl-pulse 1.2s ease-in-out infinite alternate; }
@keyframes bl-pulse { from { opacity: 0.45; } to { opacity: 1; } }
.bl-results-head { font-weight: 700; margin: 0 0 6px; }
.bl-results > ul { list-style: none; padding: 0 !important; margin: 0 !important; }
.bl-results > ul > li { display: flex; gap: 10px; padding: 8px 0;
  border-bottom: 1px solid var(--border-color-primary); font-size: 14px; }
.bl-icon { flex: none; width: 20px; height: 20px; border-radius: 50%; color: #fff; font-size: 12px;
  display: inline-flex; align-items: center; justify-content: center; font-weight: 700; }
.bl-ok .bl-icon { background: #15803d; } .bl-warn .bl-icon { background: #b45309; }
.bl-bad .bl-icon { background: #b91c1c; }
.bl-sum { display: block; color: var(--body-text-color-subdued); font-size: 13px; }
.bl-problems { margin: 4px 0 0; padding-left: 18px; font-size: 13px; color: #9a3412; }
.dark .bl-problems { color: #fdba74; }
""".replace("__SERIF__", SERIF).replace("__PANEL__", str(PANEL_HEIGHT))

HEAD = f"<style>{CSS}</style>"
