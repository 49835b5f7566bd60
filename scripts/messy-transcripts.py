#!/usr/bin/env python3
"""Writes N speech-to-text style transcripts (default 42) for the generation trials: several minutes
each (about 850 words), no punctuation clean-up, lower case, filler words, restarts and repeated
phrases, as an auto-captioned creator video reads. Deterministic (seeded), standard library only.

    scripts/messy-transcripts.py en OUT_DIR [N]
    scripts/messy-transcripts.py es OUT_DIR [N]
"""
import pathlib
import random
import sys

LANG = {
    "en": {
        "fillers": ["um", "uh", "like", "I mean", "you know", "literally", "honestly", "right", "so yeah", "okay so"],
        "topics": ["protein snacks", "blackout curtains", "caffeine timing", "the drive home", "days off",
                   "melatonin", "meal prep", "the 3am slump", "naps before a shift", "sleep debt",
                   "night shift workouts", "family time", "hydration", "light exposure"],
        "frames": [
            "so the thing about {t} is that most people get it completely wrong",
            "here's what nobody tells you about {t} when you work nights",
            "I tried everything with {t} for like three years",
            "you have to plan {t} like it's part of your shift",
            "if you only change one thing this week make it {t}",
            "my coworker asked me about {t} and I was like okay we need to talk",
            "what actually worked for me with {t} was really simple",
            "the science on {t} is pretty clear actually",
            "I used to think {t} didn't matter and I was so wrong",
            "after a twelve hour shift {t} is the last thing you want to think about",
        ],
        "ctas": ["so yeah follow me for more night shift stuff", "save this for your next rotation",
                 "comment if you want part two", "send this to a nurse friend who needs it"],
    },
    "es": {
        "fillers": ["eh", "o sea", "este", "bueno", "tipo", "literal", "la verdad", "¿sabes?", "pues", "vale"],
        "topics": ["el ahorro", "las comisiones del banco", "el presupuesto", "la tarjeta de crédito",
                   "el fondo de emergencia", "las suscripciones", "la regla 50 30 20", "el sueldo",
                   "las compras del súper", "las deudas", "invertir poco a poco", "el alquiler"],
        "frames": [
            "lo que pasa con {t} es que casi todo el mundo lo hace mal",
            "nadie te cuenta esto de {t} cuando empiezas a trabajar",
            "yo probé de todo con {t} durante como tres años",
            "tienes que planear {t} como si fuera una factura más",
            "si solo cambias una cosa este mes que sea {t}",
            "una amiga me preguntó por {t} y le dije vale tenemos que hablar",
            "lo que de verdad me funcionó con {t} fue muy sencillo",
            "los números de {t} son bastante claros la verdad",
            "yo pensaba que {t} no importaba y me equivoqué un montón",
            "con un sueldo pequeño {t} es lo último en lo que quieres pensar",
        ],
        "ctas": ["así que sígueme para más trucos de dinero", "guarda este vídeo para fin de mes",
                 "comenta si quieres la segunda parte", "mándaselo a alguien que lo necesite"],
    },
}


def transcript(lang: dict, rng: random.Random, words: int = 850) -> str:
    topic = rng.choice(lang["topics"])
    out: list[str] = []
    while len(out) < words:
        frame = rng.choice(lang["frames"]).format(t=topic if rng.random() < 0.8 else rng.choice(lang["topics"]))
        tokens = frame.split()
        # Fillers and stutters inside the phrase, as auto-captions keep them.
        for _ in range(rng.randint(1, 3)):
            tokens.insert(rng.randrange(len(tokens) + 1), rng.choice(lang["fillers"]))
        if rng.random() < 0.3:
            k = rng.randrange(1, len(tokens))
            tokens = tokens[:k] + tokens[max(0, k - 2):k] + tokens[k:]  # a restart
        out.extend(" ".join(tokens).split())
    out.extend(rng.choice(lang["ctas"]).split())
    return " ".join(out)


def main() -> None:
    if len(sys.argv) < 3 or sys.argv[1] not in LANG:
        sys.exit("usage: messy-transcripts.py en|es OUT_DIR [N]")
    code, out_dir = sys.argv[1], pathlib.Path(sys.argv[2])
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 42
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"reelsmith-{code}")
    for i in range(n):
        (out_dir / f"transcript-{i:02}.txt").write_text(transcript(LANG[code], rng) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
