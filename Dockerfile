# For consultants who deploy containers. Not built in CI (no Docker engine there).
# Build:  docker build -t qc-program-finder .
# Run:    docker run -p 8501:8501 -v qc-data:/app/data -v qc-models:/app/models qc-program-finder
# The first start downloads the official NOC files from Statistics Canada into the data volume and builds
# the matching index into the models volume; later starts reuse both. To run offline, put the NOC files in
# the data volume under noc2021/ (or mount a folder and set NOC_DATA_DIR).
FROM python:3.11-slim
WORKDIR /app
# QC_HOST: the container is reached through its published port, so the app listens on every interface inside it.
# MALLOC_ARENA_MAX: see the Makefile's run target (memory stays flat under load).
ENV PIP_NO_CACHE_DIR=1 PYTHONUNBUFFERED=1 QC_HOST=0.0.0.0 MALLOC_ARENA_MAX=2
# DejaVu gives the PDF export every French character (œ, «, ’).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
# The CPU build of torch: PyPI's default wheel is a multi-gigabyte CUDA build.
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu \
 && pip install -r requirements.txt
COPY . .
RUN useradd --create-home app && chown -R app /app
USER app
EXPOSE 8501
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health')"
CMD ["sh", "-c", "(python -m lib setup --index || python -m lib setup --download --index) && exec python -m streamlit run app.py --server.address \"$QC_HOST\" --server.port 8501"]
