//! The deterministic workspace the sandbox starts with (and returns to on reset):
//! 3 agents, 3 campaigns with different extraction-schema styles, 5 leads per
//! campaign and 45 calls, interleaved across campaigns so that filtering calls by
//! campaign and paging through them both have something to prove.

use serde_json::{json, Map, Value};

use crate::state::{Agent, Call, Campaign, Lead, Workspace};

pub fn workspace() -> Workspace {
    let mut ws = Workspace::default();
    (ws.next_agent_id, ws.next_campaign_id, ws.next_lead_id, ws.next_call_id) = (1, 1, 1, 1);
    for (name, lang, engine) in [
        ("Sales Agent", "it-IT", "vapi"),
        ("Customer Support Agent", "en-US", "retell"),
        ("Appointment Setter", "es-ES", "vapi"),
    ] {
        ws.agents.push(Agent {
            id: ws.next_agent_id,
            name: name.into(),
            lang: Some(lang.into()),
            voice_engine: engine.into(),
            voice_id: None,
            model: "gpt-4o-mini".into(),
            general_tools: vec![],
            post_call_analysis_data: vec![],
        });
        ws.next_agent_id += 1;
    }

    let campaigns = [
        (
            "Q1 Sales Campaign",
            "quote_request",
            1,
            "active",
            // The published form: `"required": true` inside the property.
            json!({"type": "object", "properties": {
                "quote_amount": {"type": "number", "required": true},
                "availability": {"type": "string", "enum": ["yes", "no", "unknown"]}
            }}),
            vec!["name", "phone", "quote_amount", "availability"],
        ),
        (
            "Dental Appointments",
            "appointment",
            3,
            "draft",
            // The standard form: a `required` array, with a nested object and an array.
            json!({"type": "object", "required": ["appointment_date", "confirmed"], "properties": {
                "appointment_date": {"type": "string"},
                "confirmed": {"type": "boolean"},
                "patient": {"type": "object", "properties": {"age": {"type": "integer"}, "new_patient": {"type": "boolean"}}},
                "notes": {"type": "array", "items": {"type": "string"}}
            }}),
            vec!["name", "phone", "appointment_date", "confirmed", "company"],
        ),
        (
            "Lead Qualification",
            "qualification",
            2,
            "paused",
            json!({"type": "object", "required": ["budget"], "properties": {
                "budget": {"type": "number"},
                "decision_maker": {"type": "boolean"},
                "interests": {"type": "array", "items": {"type": "string", "enum": ["voice", "chat", "email"]}}
            }}),
            vec!["external_id", "name", "budget", "decision_maker", "email"],
        ),
    ];
    for (name, purpose, agent, status, schema, cols) in campaigns {
        ws.campaigns.push(Campaign {
            id: ws.next_campaign_id,
            name: name.into(),
            purpose: purpose.into(),
            agent_ref_id: agent,
            from_number_id: None,
            call_language_mode: "auto".into(),
            output_language: "same_as_call".into(),
            extraction_schema: schema,
            display_columns: cols.into_iter().map(String::from).collect(),
            schedule: Some(json!({"timezone": "Europe/Rome", "start_date": "2025-01-20T00:00:00Z", "end_date": "2025-01-31T23:59:59Z"})),
            status: status.into(),
        });
        ws.next_campaign_id += 1;
    }

    const PEOPLE: [(&str, &str); 15] = [
        ("John Doe", "Acme Corp"), ("Jane Smith", "Tech Inc"), ("Mario Rossi", "Rossi Srl"),
        ("Giulia Bianchi", "Bianchi Spa"), ("Luca Verdi", "Verdi & Co"), ("Ana Garcia", "Clinica Sol"),
        ("Pedro Lopez", "Lopez SL"), ("Emma Brown", "Brown Ltd"), ("Noah Wilson", "Wilson LLC"),
        ("Olivia Taylor", "Taylor Group"), ("Liam Martin", "Martin SA"), ("Sofia Conti", "Conti Srl"),
        ("Marco Neri", "Neri Spa"), ("Chloe Dubois", "Dubois SARL"), ("Paul Klein", "Klein GmbH"),
    ];
    for campaign_id in 1..=3i64 {
        for i in 0..5i64 {
            let n = ((campaign_id - 1) * 5 + i) as usize;
            let (name, company) = PEOPLE[n];
            let mut data = Map::new();
            data.insert("company".into(), json!(company));
            data.insert("email".into(), json!(format!("{}@example.com", name.to_lowercase().replace(' ', "."))));
            ws.insert_lead(Lead {
                id: ws.next_lead_id,
                campaign_id,
                external_id: format!("c{campaign_id}-lead-{}", i + 1),
                phone: format!("+3934012345{n:02}"),
                name: Some(name.into()),
                data,
            });
            ws.next_lead_id += 1;
        }
    }

    // Three rounds of calls; in each round every lead of every campaign is called once,
    // so call ids of one campaign are interleaved with the others'.
    const STATUSES: [&str; 3] = ["no_answer", "completed", "busy"];
    for (round, default_status) in STATUSES.iter().enumerate() {
        for lead in ws.leads().to_vec() {
            let status = if round == 1 || (round == 2 && lead.id % 2 == 0) { "completed" } else { default_status };
            let completed = status == "completed";
            let extracted = if completed { extracted_values(lead.campaign_id, lead.id, round) } else { Map::new() };
            let lang = match lead.campaign_id { 1 => "it-IT", 2 => "es-ES", _ => "en-US" };
            ws.calls.push(Call {
                id: ws.next_call_id,
                campaign_id: lead.campaign_id,
                lead_id: lead.id,
                status: status.into(),
                to_number: lead.phone.clone(),
                detected_language: completed.then(|| lang.to_string()),
                extracted,
            });
            ws.next_call_id += 1;
        }
    }
    ws
}

/// Values "extracted" from a completed call, following the campaign's schema.
fn extracted_values(campaign_id: i64, lead_id: i64, round: usize) -> Map<String, Value> {
    let availability = ["yes", "no", "unknown"][lead_id as usize % 3];
    let v = match campaign_id {
        1 => json!({"quote_amount": 1000 + lead_id * 100 + round as i64 * 10, "availability": availability}),
        2 => json!({"appointment_date": format!("2025-02-{:02}", 3 + lead_id), "confirmed": lead_id % 2 == 0,
                    "patient": {"age": 30 + lead_id, "new_patient": lead_id % 3 == 0}, "notes": ["prefers mornings"]}),
        _ => json!({"budget": 5000 + lead_id * 250, "decision_maker": lead_id % 2 == 1, "interests": ["voice"]}),
    };
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}
