// Hl7.Fhir.Model has a Task resource; in this project "Task" always means the TPL type.
global using Task = System.Threading.Tasks.Task;
