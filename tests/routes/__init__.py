"""HTTP route tests: plain requests to a real ``streamlit run app.py``, no browser."""
