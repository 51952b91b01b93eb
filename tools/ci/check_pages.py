"""The pages of docs/pages.md in a real headless Chromium, driven by Selenium.

    python3 check_pages.py DIR [SHOTS]

DIR holds walk.html (the classroom 2-2-1 network (README) with y = 1, lr: 0.5), train.html (a replay of XOR
training) and, when the data was there, mnist.html. Steps the walk with keys and reads the
visible text, checks Home, the Next button, hover details and the browser log; moves the
replay's slider and Play; times the MNIST page. Screenshots go to SHOTS (default DIR).
"""
import os
import re
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

DIR = os.path.abspath(sys.argv[1])
SHOTS = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else DIR
failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


def browser():
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,800",
                 "--hide-scrollbars", "--force-device-scale-factor=1"):
        options.add_argument(flag)
    options.binary_location = "/usr/bin/chromium"
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    # The window's size includes the browser's frame; the page itself gets exactly 1280×800.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False})
    return driver


def console_errors(driver):
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def file_url(name):
    return "file:" + "/" * 2 + os.path.join(DIR, name)


def no_links(name):
    text = open(os.path.join(DIR, name), encoding="utf-8").read()
    check("//" not in text and "http" not in text.lower(), f"{name}: no URL (no // and no http) in the file")
    return text


def numbers(text):
    return [float(x) for x in re.findall(r"-?\d+\.\d+(?:e-?\d+)?|-?\d+", text)]


def near(values, expected, digits):
    return len(values) == len(expected) and all(abs(v - e) <= 0.5 * 10 ** -digits + 1e-12 for v, e in zip(values, expected))


def walk(driver):
    no_links("walk.html")
    driver.get(file_url("walk.html"))
    check(not console_errors(driver), "walk.html: no console error on load")
    body = driver.find_element(By.TAG_NAME, "body")
    counter = lambda: driver.find_element(By.ID, "counter").text
    total = int(counter().split()[-1])
    texts = []
    for k in range(total):
        texts.append(driver.find_element(By.ID, "step").text)
        if k == 0:
            driver.save_screenshot(os.path.join(SHOTS, "walk-start.png"))
        if k == 2:
            driver.save_screenshot(os.path.join(SHOTS, "walk-forward.png"))
        if "∂C/∂W¹ = δ¹" in texts[-1]:
            driver.save_screenshot(os.path.join(SHOTS, "walk-backward.png"))
        ActionChains(driver).send_keys(Keys.ARROW_RIGHT if k % 2 == 0 else Keys.SPACE).perform()
    check(counter() == f"step {total} of {total}", f"walk: keys → and Space reach the last step ({counter()})")
    # the classroom example, in order: the first step at or after the previous one whose visible text has
    # the line, with the numbers the notes give (to their digits).
    expected = [("z¹ = ", [0.52, 0.43], 2), ("a¹ = ", [0.627, 0.606], 3), ("z² = ", [0.979], 3),
                ("ŷ = a² = ", [0.727], 3), ("C = ½·(0.727 − 1.00)² = ", [0.0373], 4), ("δ² = ", [-0.0542], 4),
                ("∂C/∂W² = ", [-0.0340, -0.0328], 4), ("δ¹ = ", [-0.00760, -0.00647], 5),
                ("∂C/∂W¹ = ", [-0.00380, -0.00608, -0.00324, -0.00518], 5)]
    at = 0
    for prefix, values, digits in expected:
        found = None
        for s in range(at, len(texts)):
            for line in texts[s].splitlines():
                if prefix in line and near(numbers(line.split(prefix, 1)[1]), values, digits):
                    found = s
                    break
            if found is not None:
                break
        check(found is not None, f"walk: '{prefix}{values}' visible at a step ≥ {at + 1}" + (f" (step {found + 1})" if found is not None else ""))
        at = found if found is not None else at
    drawing = driver.find_element(By.ID, "drawing").text
    check("a 0.727" in drawing and "δ -0.0542" in drawing, "walk: the drawing shows the output a 0.727 and δ² -0.0542")
    ActionChains(driver).send_keys(Keys.HOME).perform()
    check(counter().startswith("step 1 of"), "walk: Home returns to the start")
    driver.find_element(By.ID, "next").click()
    check(counter().startswith("step 2 of"), "walk: clicking Next moves one step")
    ActionChains(driver).send_keys(Keys.ARROW_LEFT).perform()
    check(counter().startswith("step 1 of"), "walk: ← goes back")
    ActionChains(driver).send_keys(Keys.END).perform()
    unit = driver.find_element(By.CSS_SELECTOR, '[data-info="c1u0"]')
    ActionChains(driver).move_to_element(unit).perform()
    detail = driver.find_element(By.ID, "detail").text
    check("z¹₁ = 0.200·0.500 + 0.400·0.800 + 0.100 = 0.520" in detail and "δ¹₁" in detail,
          "walk: hovering unit 1 of layer 1 shows its formula and δ")
    driver.find_element(By.TAG_NAME, "h1").click()
    ActionChains(driver).send_keys(Keys.TAB).perform()
    focused = driver.switch_to.active_element.get_attribute("data-info")
    detail = driver.find_element(By.ID, "detail").text
    check(focused is not None and focused in ("l1w0_0",) and "W¹₁₁ = 0.200" in detail and "∂C/∂W¹₁₁" in detail,
          f"walk: Tab focuses a connection and shows its weight and gradient ({focused})")
    check(not console_errors(driver), "walk: no console error after stepping")


def replay(driver):
    no_links("train.html")
    driver.get(file_url("train.html"))
    check(not console_errors(driver), "train.html: no console error on load")
    slider = driver.find_element(By.ID, "slider")
    regions = lambda: driver.find_element(By.ID, "regions").get_attribute("href")
    first = regions()
    count = int(slider.get_attribute("max")) + 1
    check(count >= 3, f"replay: {count} snapshots")
    ActionChains(driver).send_keys(Keys.END).perform()
    last = regions()
    check(slider.get_attribute("value") == str(count - 1) and last != first,
          "replay: End moves the slider to the last snapshot and the boundary changes")
    driver.save_screenshot(os.path.join(SHOTS, "replay-xor.png"))
    slider.send_keys(Keys.HOME)
    check(slider.get_attribute("value") == "0" and regions() == first, "replay: the slider (Home) returns to the first boundary")
    driver.find_element(By.ID, "play").click()
    time.sleep(1.3)
    moved = int(slider.get_attribute("value"))
    check(moved >= 1, f"replay: Play advances the slider (now at {moved})")
    check(not console_errors(driver), "replay: no console error after playing")


def mnist(driver):
    path = os.path.join(DIR, "mnist.html")
    if not os.path.exists(path):
        print("skip MNIST page (no NNS_DATA)")
        return
    size = os.path.getsize(path)
    check(size < 2_000_000, f"mnist.html: {size} bytes, under 2 MB")
    no_links("mnist.html")
    start = time.monotonic()
    driver.get(file_url("mnist.html"))
    driver.find_element(By.ID, "counter")
    elapsed = time.monotonic() - start
    timing = driver.execute_script("return performance.timing.loadEventEnd - performance.timing.navigationStart")
    check(elapsed < 2.0 and timing < 2000, f"mnist.html: loads in {elapsed:.2f} s (load event after {timing} ms), under 2 s")
    check(not console_errors(driver), "mnist.html: no console error on load")
    body = driver.find_element(By.TAG_NAME, "body")
    for _ in range(4):
        ActionChains(driver).send_keys(Keys.ARROW_RIGHT).perform()
    driver.save_screenshot(os.path.join(SHOTS, "mnist-walk.png"))
    check("784 units" in driver.find_element(By.ID, "drawing").text, "mnist: the 784 inputs drawn as a block")


driver = browser()
try:
    walk(driver)
    replay(driver)
    mnist(driver)
finally:
    driver.quit()
if failures:
    print(f"{len(failures)} page check(s) failed")
    sys.exit(1)
print("all page checks passed")
