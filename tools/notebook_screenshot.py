"""Takes docs/images/jupyterlab.png: a course notebook open in JupyterLab, drawn by headless
Chromium through Selenium. Needs the CI venv with jupyterlab, selenium and the nns kernel
installed (tools/ci/jupyter.sh), and chromium with chromedriver.

    $NNS_PY tools/notebook_screenshot.py [notebooks/04-xor.ipynb]"""

import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def main():
    notebook = sys.argv[1] if len(sys.argv) > 1 else "notebooks/04-xor.ipynb"
    token, port = secrets.token_hex(16), 18988
    home = tempfile.mkdtemp()
    # Outputs of an untrusted notebook are shown as text only (no SVG): trust this one.
    subprocess.run([os.path.join(os.path.dirname(sys.executable), "jupyter"), "trust", os.path.join(ROOT, notebook)],
                   check=True)
    lab = subprocess.Popen(
        [os.path.join(os.path.dirname(sys.executable), "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1",
         f"--port={port}", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT}",
         "--LabApp.news_url=None", "--ServerApp.allow_root=True"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ, JUPYTER_CONFIG_DIR=home))
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api?token={token}", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        options = webdriver.ChromeOptions()
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                     "--window-size=1280,900", f"--user-data-dir={home}/chrome"):
            options.add_argument(flag)
        options.binary_location = "/usr/bin/chromium"
        driver = webdriver.Chrome(options=options, service=webdriver.ChromeService("/usr/bin/chromedriver"))
        try:
            driver.get(f"http://127.0.0.1:{port}/lab/tree/{notebook}?token={token}&reset")
            wait = WebDriverWait(driver, 120)
            wait.until(lambda d: "nns | Idle" in d.find_element(By.TAG_NAME, "body").text)
            for button in driver.find_elements(By.XPATH, "//button[normalize-space()='No']"):
                button.click()   # the "Jupyter news?" notification
            # Bring the training cell (progress, then the curves below it) to the top.
            driver.execute_script(
                "const cells = [...document.querySelectorAll('.jp-CodeCell')];"
                "const cell = cells.find(c => c.textContent.includes('history = train'));"
                "if (cell) { cell.scrollIntoView({block: 'start'}); }")
            time.sleep(3)
            os.makedirs(os.path.join(ROOT, "docs", "images"), exist_ok=True)
            driver.save_screenshot(os.path.join(ROOT, "docs", "images", "jupyterlab.png"))
            print("wrote docs/images/jupyterlab.png")
        finally:
            driver.quit()
    finally:
        lab.terminate()
        lab.wait(timeout=20)


if __name__ == "__main__":
    main()
