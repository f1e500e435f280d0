"""Page tests: the Streamlit pages run in-process with AppTest."""
